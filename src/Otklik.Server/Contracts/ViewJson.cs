using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Otklik.Application;

namespace Otklik.Server.Contracts;

/// <summary>
/// The serializer the source generator writes for the decision, with the settings of the HTTP JSON options
/// (<see cref="OtklikJson.Options"/>: snake_case, nulls written). Every appeal is answered with one; through
/// the general serializer its writing was the largest managed cost on the request threads (≈ 4 % of the
/// server's processor under the intake benchmark), with a serializer state allocated for each response.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(DecisionView))]
internal sealed partial class ViewJsonContext : JsonSerializerContext;

/// <summary>
/// A JSON answer written by a generated serializer (<see cref="OtklikJson.WriteGenerated"/>) with its length
/// known, so it goes out in one piece with <c>Content-Length</c> rather than chunked.
/// </summary>
internal sealed class GeneratedJsonResult<T>(int statusCode, T value, JsonTypeInfo<T> generated, string? location = null)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public int? StatusCode => statusCode;

    public T Value => value;

    object? IValueHttpResult.Value => value;

    public string ContentType => JsonContentType;

    public string? Location => location;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        response.ContentType = JsonContentType;
        // Copied into the response's pipe before the thread's buffer is reused; the flush may finish elsewhere.
        OtklikJson.WriteGenerated(value, generated, response, static (utf8, r) =>
        {
            r.ContentLength = utf8.Length;
            r.BodyWriter.Write(utf8);
            return true;
        });
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>The decision answers of the hot endpoints.</summary>
internal static class DecisionResults
{
    public static GeneratedJsonResult<DecisionView> Created(string location, DecisionView view) =>
        new(StatusCodes.Status201Created, view, ViewJsonContext.Default.DecisionView, location);

    public static GeneratedJsonResult<DecisionView> Ok(DecisionView view) =>
        new(StatusCodes.Status200OK, view, ViewJsonContext.Default.DecisionView);
}
