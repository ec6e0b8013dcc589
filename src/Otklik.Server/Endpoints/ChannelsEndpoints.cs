using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Otklik.Application.Appeals;
using Otklik.Channels.Abstractions;
using Otklik.Channels.Phone;
using Otklik.Server.Problems;

namespace Otklik.Server.Endpoints;

/// <summary>Webhooks of the channels. They carry no API key: each is signed with its channel's own secret.</summary>
public static class ChannelsEndpoints
{
    public const string TimestampHeader = "X-Otklik-Timestamp";
    public const string SignatureHeader = "X-Otklik-Signature";

    public static IEndpointRouteBuilder MapChannelsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/channels/phone/calls", PhoneCallAsync).AllowAnonymous().WithTags("Channels")
            .Accepts<CallEvent>("application/json").Produces<Contracts.DecisionView>(201).ProducesProblem(401);
        return app;
    }

    /// <summary>
    /// A call event from the telephony system, signed: <c>X-Otklik-Timestamp</c> (unix seconds) and
    /// <c>X-Otklik-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>.
    /// </summary>
    private static async Task<IResult> PhoneCallAsync(HttpRequest request, IOptions<PhoneOptions> options, PhoneCallInbound inbound, Views views, TimeProvider time, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return Problems.Problems.Create(StatusCodes.Status404NotFound, "channel-off", "Channel not configured", "The phone channel is off: set Channels:Phone:Secret.");
        }
        var body = await BodyReader.ReadAsync<CallEvent>(request);
        if (!WebhookSignature.Verify(options.Value.Secret!, request.Headers[TimestampHeader], request.Headers[SignatureHeader], body.Raw, time.GetUtcNow()))
        {
            return Problems.Problems.Create(StatusCodes.Status401Unauthorized, "bad-signature", "Signature required",
                $"Sign the body: {SignatureHeader}: sha256=hex(HMAC-SHA256(secret, {TimestampHeader} + \".\" + body)), timestamp within 5 minutes.");
        }
        if (body.Error is not null)
        {
            return body.Error;
        }
        var hash = Convert.ToHexString(SHA256.HashData(body.Raw));
        var result = await inbound.ReceiveAsync(body.Value!, hash, System.Text.Encoding.UTF8.GetString(body.Raw), ct);
        if (result.Errors is not null)
        {
            return Problems.Problems.Validation(new Dictionary<string, string[]>(result.Errors));
        }
        var intake = result.Intake!;
        var language = Views.LanguageOf(request);
        return intake.Status switch
        {
            IntakeStatus.Created => TypedResults.Created($"/api/v1/appeals/{intake.Appeal!.AppealId}", views.Decision(intake.Appeal, intake.Decision!, language)),
            IntakeStatus.Replayed => TypedResults.Ok(views.Decision(intake.Appeal!, intake.Decision!, language)),
            _ => Problems.Problems.Conflict($"Call '{body.Value!.CallId}' was already received with other details."),
        };
    }
}
