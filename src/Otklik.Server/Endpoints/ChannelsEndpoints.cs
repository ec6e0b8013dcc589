using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Otklik.Application.Appeals;
using Otklik.Channels.Abstractions;
using Otklik.Channels.Email;
using Otklik.Channels.Phone;
using Otklik.Channels.Vk;
using Otklik.Core;
using Otklik.Core.Text;
using Otklik.Server.Contracts;
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
        app.MapPost("/api/v1/channels/telegram/webhook", TelegramWebhookAsync).AllowAnonymous().WithTags("Channels");
        app.MapPost("/api/v1/channels/vk/callback", VkCallbackAsync).AllowAnonymous().WithTags("Channels").Accepts<VkCallback>("application/json");
        app.MapPost("/api/v1/channels/email/messages", EmailMessageAsync).AllowAnonymous().WithTags("Channels").ProducesProblem(401);
        return app;
    }

    /// <summary>Telegram's webhook: the secret token given to setWebhook must come back in its header.</summary>
    private static async Task<IResult> TelegramWebhookAsync(HttpRequest request, IOptions<Otklik.Channels.Telegram.TelegramOptions> options, IServiceProvider services, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled || o.Mode != "webhook" || string.IsNullOrEmpty(o.WebhookSecret))
        {
            return Problems.Problems.Create(StatusCodes.Status404NotFound, "channel-off", "Channel not configured", "The Telegram webhook is off: set Channels:Telegram:Token and WebhookSecret.");
        }
        var given = request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(o.WebhookSecret)))
        {
            return Problems.Problems.Create(StatusCodes.Status403Forbidden, "bad-secret", "Wrong secret token", "X-Telegram-Bot-Api-Secret-Token does not match.");
        }
        var body = await BodyReader.ReadAsync<System.Text.Json.Nodes.JsonObject>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        Telegram.Bot.Types.Update? update;
        try
        {
            update = System.Text.Json.JsonSerializer.Deserialize<Telegram.Bot.Types.Update>(body.Raw, Telegram.Bot.JsonBotAPI.Options);
        }
        catch (System.Text.Json.JsonException)
        {
            return Problems.Problems.Validation("$", "Not a Telegram update.");
        }
        if (update is not null)
        {
            await services.GetRequiredService<Otklik.Channels.Telegram.TelegramBot>().HandleAsync(update, ct);
        }
        return TypedResults.Ok();
    }

    /// <summary>
    /// The VK Callback API: the confirmation handshake, then events carrying the community's secret
    /// (compared in constant time). VK wants a plain <c>ok</c> for every accepted event.
    /// </summary>
    private static async Task<IResult> VkCallbackAsync(HttpRequest request, IOptions<VkOptions> options, VkInbound inbound, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return Problems.Problems.Create(StatusCodes.Status404NotFound, "channel-off", "Channel not configured", "The VK channel is off: set Channels:Vk:Secret, Confirmation and GroupId.");
        }
        var body = await BodyReader.ReadAsync<VkCallback>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var callback = body.Value!;
        if (callback.GroupId != o.GroupId)
        {
            return Problems.Problems.Create(StatusCodes.Status403Forbidden, "wrong-group", "Wrong community", "This callback is for another VK community.");
        }
        var secretOk = callback.Secret is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(callback.Secret), System.Text.Encoding.UTF8.GetBytes(o.Secret!));
        if (callback.Type == "confirmation" && (callback.Secret is null || secretOk))
        {
            return TypedResults.Text(o.Confirmation!, "text/plain");
        }
        if (!secretOk)
        {
            return Problems.Problems.Create(StatusCodes.Status403Forbidden, "bad-secret", "Wrong secret", "The callback's secret does not match the community's.");
        }
        if (callback.Type == "message_new" && callback.Message() is { } message && !string.IsNullOrWhiteSpace(callback.EventId) && callback.EventId.Length <= 200)
        {
            var hash = Convert.ToHexString(SHA256.HashData(body.Raw));
            await inbound.HandleMessageAsync(callback.EventId, message.FromId, message.PeerId, message.Text, hash, JsonText.FromUtf8(body.Raw), ct);
        }
        return TypedResults.Text("ok", "text/plain");
    }

    /// <summary>
    /// One mail handed over by an MTA (e.g. a Postfix pipe) instead of the desk reading a mailbox: the raw
    /// RFC 5322 message as <c>message/rfc822</c>, signed like the phone webhook with Channels:Email:WebhookSecret.
    /// </summary>
    private static async Task<IResult> EmailMessageAsync(HttpRequest request, IOptions<EmailOptions> options, IServiceProvider services, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled || string.IsNullOrEmpty(o.WebhookSecret))
        {
            return Problems.Problems.Create(StatusCodes.Status404NotFound, "channel-off", "Channel not configured", "Mail delivery over HTTP is off: set Channels:Email:Address and WebhookSecret.");
        }
        var (raw, error) = await BodyReader.ReadRawAsync(request, EmailMaxBytes);
        if (error is not null)
        {
            return error;
        }
        if (!WebhookSignature.Verify(o.WebhookSecret, request.Headers[TimestampHeader], request.Headers[SignatureHeader], raw, time.GetUtcNow()))
        {
            return Problems.Problems.Create(StatusCodes.Status401Unauthorized, "bad-signature", "Signature required",
                $"Sign the body: {SignatureHeader}: sha256=hex(HMAC-SHA256(secret, {TimestampHeader} + \".\" + body)), timestamp within 5 minutes.");
        }
        if (request.ContentType is not { } type || !type.StartsWith("message/rfc822", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the mail as message/rfc822.");
        }
        MimeKit.MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = await MimeKit.MimeMessage.LoadAsync(stream, ct);
        }
        catch (FormatException)
        {
            return Problems.Problems.Validation("$", "Not an RFC 5322 message.");
        }
        var result = await services.GetRequiredService<EmailInbound>().ProcessAsync(message, ct);
        return TypedResults.Ok(new EmailResultView(WireName.Of(result.Kind), result.TicketId, result.AppealId, result.Note));
    }

    private const long EmailMaxBytes = 30 * 1024 * 1024;

    public sealed record EmailResultView(string Result, string? TicketId, string? AppealId, string? Note);

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
        var result = await inbound.ReceiveAsync(body.Value!, hash, JsonText.FromUtf8(body.Raw), ct);
        if (result.Errors is not null)
        {
            return Problems.Problems.Validation(new Dictionary<string, string[]>(result.Errors));
        }
        var intake = result.Intake!;
        var language = Views.LanguageOf(request);
        return intake.Status switch
        {
            IntakeStatus.Created => DecisionResults.Created($"/api/v1/appeals/{intake.Appeal!.AppealId}", views.Decision(intake.Appeal, intake.Decision!, language)),
            IntakeStatus.Replayed => DecisionResults.Ok(views.Decision(intake.Appeal!, intake.Decision!, language)),
            _ => Problems.Problems.Conflict($"Call '{body.Value!.CallId}' was already received with other details."),
        };
    }
}
