using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Otklik.Server.Tests;

/// <summary>
/// The Telegram adapter, with the real Telegram.Bot client talking to a local server that speaks the
/// Bot API (sendMessage, answerCallbackQuery, getFile, file download): the whole conversation with a
/// shared contact, an order, a problem type, a photo and a button press; retried updates; agent replies.
/// </summary>
public sealed class TelegramChannelTests : IAsyncLifetime
{
    private const string Token = "123456:test-token";
    private const string Secret = "telegram-webhook-secret-1";
    private static readonly byte[] s_jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];
    private readonly OtklikFactory _factory = new();
    private readonly ConcurrentQueue<JsonNode> _sent = new();
    private readonly ConcurrentBag<JsonNode> _queuedUpdates = [];
    private WebApplication? _botApi;
    private int _updateId = 1000;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _botApi = builder.Build();
        var messageId = 0;
        _botApi.MapPost("/bot{token}/{method}", async (string token, string method, HttpRequest request) =>
        {
            if (token != Token)
            {
                return Results.Json(new { ok = false, error_code = 401, description = "Unauthorized" }, statusCode: 401);
            }
            var body = await JsonNode.ParseAsync(request.Body) ?? new JsonObject();
            switch (method)
            {
                case "sendMessage":
                    _sent.Enqueue(body);
                    var chatId = body["chat_id"]!.GetValue<long>();
                    return Results.Json(new { ok = true, result = new { message_id = Interlocked.Increment(ref messageId), date = 1_795_000_000, chat = new { id = chatId, type = "private" }, text = body["text"]?.GetValue<string>() } });
                case "getUpdates":
                    // Long polling: hand out the queued updates once, then hold the poll briefly like the Bot API does.
                    var offset = body["offset"]?.GetValue<int>() ?? 0;
                    var pending = _queuedUpdates.Where(u => u["update_id"]!.GetValue<int>() >= offset).ToArray();
                    if (pending.Length == 0)
                    {
                        await Task.Delay(200);
                    }
                    return Results.Json(new JsonObject { ["ok"] = true, ["result"] = new JsonArray([.. pending.Select(u => u.DeepClone())]) });
                case "answerCallbackQuery":
                    return Results.Json(new { ok = true, result = true });
                case "getFile":
                    return Results.Json(new { ok = true, result = new { file_id = "f1", file_unique_id = "u1", file_size = s_jpeg.Length, file_path = "photos/f1.jpg" } });
                default:
                    return Results.Json(new { ok = false, error_code = 404, description = "Not Found: method " + method }, statusCode: 404);
            }
        });
        _botApi.MapGet("/file/bot{token}/photos/f1.jpg", () => Results.Bytes(s_jpeg, "image/jpeg"));
        await _botApi.StartAsync();
        _factory.Settings["Channels:Telegram:Token"] = Token;
        _factory.Settings["Channels:Telegram:WebhookSecret"] = Secret;
        _factory.Settings["Channels:Telegram:ApiBaseUrl"] = _botApi.Urls.First();
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _botApi!.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostUpdateAsync(object update, string secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels/telegram/webhook") { Content = new StringContent(JsonSerializer.Serialize(update), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return await _factory.CreateClient().SendAsync(request);
    }

    private static object From(long user) => new { id = user, is_bot = false, first_name = "Анна" };

    private static object Chat(long user) => new { id = user, type = "private" };

    private object Text(long user, string text, int? id = null) => new { update_id = id ?? Interlocked.Increment(ref _updateId), message = new { message_id = 1, date = 1_795_000_000, chat = Chat(user), from = From(user), text } };

    private object Button(long user, string data) => new
    {
        update_id = Interlocked.Increment(ref _updateId),
        callback_query = new { id = "cq" + _updateId, from = From(user), chat_instance = "ci", data, message = new { message_id = 2, date = 1_795_000_000, chat = Chat(user) } },
    };

    private JsonNode Last() => _sent.Last();

    [Fact]
    public async Task Conversation_ContactOrderTypePhotoText_GivesATicket_AndAgentRepliesArriveInTheChat()
    {
        var account = Api.NewId("a");
        var order = Api.NewId("o");
        var phone = "+7916" + Random.Shared.Next(1_000_000, 9_999_999);
        var integration = _factory.Integration();
        await integration.PutAccountAsync(account, phone: phone, phoneVerified: false);
        await integration.PutOrderAsync(order, account, "delivered", deliveredDaysAgo: 3);
        var user = Random.Shared.NextInt64(100_000_000, 900_000_000);

        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(Text(user, "/start"))).StatusCode);
        Assert.Equal("true", Last()["reply_markup"]!["keyboard"]![0]![0]!["request_contact"]!.ToJsonString());

        // Someone else's contact is not a proof of the user's phone.
        await PostUpdateAsync(new { update_id = Interlocked.Increment(ref _updateId), message = new { message_id = 3, date = 1_795_000_000, chat = Chat(user), from = From(user), contact = new { phone_number = phone, first_name = "Анна", user_id = user + 1 } } });
        Assert.Contains("своим контактом", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);

        await PostUpdateAsync(new { update_id = Interlocked.Increment(ref _updateId), message = new { message_id = 4, date = 1_795_000_000, chat = Chat(user), from = From(user), contact = new { phone_number = phone.TrimStart('+'), first_name = "Анна", user_id = user } } });
        var orders = Last();
        Assert.Contains(orders["reply_markup"]!["inline_keyboard"]!.AsArray(), row => row![0]!["callback_data"]!.GetValue<string>() == "order:" + order);

        await PostUpdateAsync(Button(user, "order:" + order));
        Assert.Contains(Last()["reply_markup"]!["inline_keyboard"]!.AsArray(), row => row![0]!["callback_data"]!.GetValue<string>() == "type:damaged_item");
        await PostUpdateAsync(Button(user, "type:damaged_item"));
        Assert.Contains("фото", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);

        await PostUpdateAsync(new { update_id = Interlocked.Increment(ref _updateId), message = new { message_id = 5, date = 1_795_000_000, chat = Chat(user), from = From(user), photo = new[] { new { file_id = "f1", file_unique_id = "u1", width = 10, height = 10, file_size = s_jpeg.Length } } } });
        Assert.Contains("Фото получено", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var appealUpdate = Interlocked.Increment(ref _updateId);
        await PostUpdateAsync(Text(user, "Чайник пришёл с трещиной на корпусе, прошу замену", appealUpdate));
        Assert.Contains("принято", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var count = _sent.Count;
        await PostUpdateAsync(Text(user, "Чайник пришёл с трещиной на корпусе, прошу замену", appealUpdate)); // Telegram retries
        Assert.Equal(count, _sent.Count);

        var tickets = await _factory.Agent().GetJsonAsync($"/api/v1/tickets?account_id={account}");
        var ticket = Assert.Single(tickets["items"]!.AsArray())!;
        Assert.Equal("telegram", ticket.Str("channel"));
        Assert.Equal(order, ticket.Str("order_number"));
        var appeals = await _factory.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals");
        Assert.Single(appeals["items"]!.AsArray());

        await _factory.Agent().PostJsonAsync($"/api/v1/tickets/{ticket.Str("ticket_id")}/messages", new { text = "Оформили замену, курьер приедет завтра." }, 201);
        Assert.Equal(user, Last()["chat_id"]!.GetValue<long>());
        Assert.Contains("Оформили замену", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollingMode_FetchesUpdates_AndAnswersThem()
    {
        _factory.Settings["Channels:Telegram:Mode"] = "polling";
        var user = Random.Shared.NextInt64(100_000_000, 900_000_000);
        _queuedUpdates.Add(JsonSerializer.SerializeToNode(Text(user, "/start"))!);
        _ = _factory.CreateClient(); // starts the host and its polling service
        for (var i = 0; i < 100 && !_sent.Any(m => m["chat_id"]!.GetValue<long>() == user); i++)
        {
            await Task.Delay(100);
        }
        var reply = Assert.Single(_sent, m => m["chat_id"]!.GetValue<long>() == user);
        Assert.Contains("контакт", reply["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PostUpdateAsync(Text(user, "/start"))).StatusCode); // no webhook in polling mode
    }

    [Fact]
    public async Task UnknownUsersText_IsHeldForVerification_AndAWrongSecretIsRefused()
    {
        var user = Random.Shared.NextInt64(100_000_000, 900_000_000);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostUpdateAsync(Text(user, "привет"), secret: "wrong")).StatusCode);
        await PostUpdateAsync(Text(user, "Деньги списали, а заказ не оформился, помогите"));
        var held = await _factory.Agent().GetJsonAsync("/api/v1/appeals?held=true&rule=identity_verification");
        Assert.NotEmpty(held["items"]!.AsArray());
        Assert.Contains("контакт", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
