using System.Text.Json;
using Otklik.Application;

namespace Otklik.Server.Problems;

/// <summary>
/// Reads a JSON body with our own checks so that every failure is a precise problem response:
/// 415 for another content type, 413 past the size limit, 400 naming the field for malformed JSON or wrong types.
/// </summary>
public static class BodyReader
{
    public const long DefaultMaxBytes = 256 * 1024;

    public readonly record struct Result<T>(T? Value, IResult? Error, byte[] Raw);

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, long maxBytes = DefaultMaxBytes) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return new(null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the body as application/json."), []);
        }
        if (request.ContentLength > maxBytes)
        {
            return new(null, TooLarge(maxBytes), []);
        }
        byte[] raw;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return new(null, TooLarge(maxBytes), []);
                }
                buffer.Write(chunk, 0, read);
            }
            raw = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, TooLarge(maxBytes), []);
        }
        if (raw.Length == 0)
        {
            return new(null, Problems.Validation("$", "A JSON body is required."), raw);
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(raw, OtklikJson.Options);
            return value is null ? new(null, Problems.Validation("$", "The body must be a JSON object."), raw) : new(value, null, raw);
        }
        catch (JsonException ex)
        {
            return new(null, Problems.Validation(FieldOf(ex.Path), Describe(ex)), raw);
        }
        catch (InvalidOperationException ex)
        {
            return new(null, Problems.Validation("$", ex.Message), raw);
        }
    }

    private static IResult TooLarge(long max) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Body too large", $"The body may not exceed {max} bytes.");

    private static string FieldOf(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // System.Text.Json's messages name .NET types; say what the client needs instead.
    private static string Describe(JsonException ex) =>
        ex.Path is null or "$" ? "The body is not valid JSON." : "The value has the wrong type or format.";
}
