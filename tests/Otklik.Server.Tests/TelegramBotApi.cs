using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Otklik.Server.Tests;

/// <summary>
/// A local server that speaks the Telegram Bot API (sendMessage, getUpdates, answerCallbackQuery,
/// getFile, file download) for the adapter's real Telegram.Bot client, plus builders of the updates
/// Telegram would post to the desk's webhook.
/// </summary>
public sealed class TelegramBotApi : IAsyncDisposable
{
    public const string Token = "123456:test-token";
    public const string Secret = "telegram-webhook-secret-1";
    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    private WebApplication? _app;
    private int _updateId = 1000;

    public ConcurrentQueue<JsonNode> Sent { get; } = new();
    public ConcurrentBag<JsonNode> QueuedUpdates { get; } = [];

    public async Task StartAsync(OtklikFactory desk)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var messageId = 0;
        _app.MapPost("/bot{token}/{method}", async (string token, string method, HttpRequest request) =>
        {
            if (token != Token)
            {
                return Results.Json(new { ok = false, error_code = 401, description = "Unauthorized" }, statusCode: 401);
            }
            var body = await JsonNode.ParseAsync(request.Body) ?? new JsonObject();
            switch (method)
            {
                case "sendMessage":
                    Sent.Enqueue(body);
                    var chatId = body["chat_id"]!.GetValue<long>();
                    return Results.Json(new { ok = true, result = new { message_id = Interlocked.Increment(ref messageId), date = 1_795_000_000, chat = new { id = chatId, type = "private" }, text = body["text"]?.GetValue<string>() } });
                case "getUpdates":
                    // Long polling: hand out the queued updates once, then hold the poll briefly like the Bot API does.
                    var offset = body["offset"]?.GetValue<int>() ?? 0;
                    var pending = QueuedUpdates.Where(u => u["update_id"]!.GetValue<int>() >= offset).ToArray();
                    if (pending.Length == 0)
                    {
                        await Task.Delay(200);
                    }
                    return Results.Json(new JsonObject { ["ok"] = true, ["result"] = new JsonArray([.. pending.Select(u => u.DeepClone())]) });
                case "answerCallbackQuery":
                    return Results.Json(new { ok = true, result = true });
                case "getFile":
                    return Results.Json(new { ok = true, result = new { file_id = "f1", file_unique_id = "u1", file_size = Jpeg.Length, file_path = "photos/f1.jpg" } });
                default:
                    return Results.Json(new { ok = false, error_code = 404, description = "Not Found: method " + method }, statusCode: 404);
            }
        });
        _app.MapGet("/file/bot{token}/photos/f1.jpg", () => Results.Bytes(Jpeg, "image/jpeg"));
        await _app.StartAsync();
        desk.Settings["Channels:Telegram:Token"] = Token;
        desk.Settings["Channels:Telegram:WebhookSecret"] = Secret;
        desk.Settings["Channels:Telegram:ApiBaseUrl"] = _app.Urls.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    public JsonNode Last() => Sent.Last();

    public int NextUpdateId() => Interlocked.Increment(ref _updateId);

    public static async Task<HttpResponseMessage> PostUpdateAsync(OtklikFactory desk, object update, string secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels/telegram/webhook") { Content = new StringContent(JsonSerializer.Serialize(update), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return await desk.CreateClient().SendAsync(request);
    }

    public static object From(long user) => new { id = user, is_bot = false, first_name = "Анна" };

    public static object Chat(long user) => new { id = user, type = "private" };

    public object Text(long user, string text, int? id = null) => new { update_id = id ?? NextUpdateId(), message = new { message_id = 1, date = 1_795_000_000, chat = Chat(user), from = From(user), text } };

    public object Contact(long user, string phone, long? contactUserId = null) =>
        new { update_id = NextUpdateId(), message = new { message_id = 3, date = 1_795_000_000, chat = Chat(user), from = From(user), contact = new { phone_number = phone, first_name = "Анна", user_id = contactUserId ?? user } } };

    public object Photo(long user) =>
        new { update_id = NextUpdateId(), message = new { message_id = 5, date = 1_795_000_000, chat = Chat(user), from = From(user), photo = new[] { new { file_id = "f1", file_unique_id = "u1", width = 10, height = 10, file_size = Jpeg.Length } } } };

    public object Button(long user, string data)
    {
        var id = NextUpdateId();
        return new
        {
            update_id = id,
            callback_query = new { id = "cq" + id, from = From(user), chat_instance = "ci", data, message = new { message_id = 2, date = 1_795_000_000, chat = Chat(user) } },
        };
    }
}
