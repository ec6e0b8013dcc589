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
    private readonly OtklikFactory _factory = new();
    private readonly TelegramBotApi _api = new();

    public Task InitializeAsync() => _api.StartAsync(_factory);

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _api.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostUpdateAsync(object update, string secret = TelegramBotApi.Secret) => TelegramBotApi.PostUpdateAsync(_factory, update, secret);

    private object Text(long user, string text, int? id = null) => _api.Text(user, text, id);

    private object Button(long user, string data) => _api.Button(user, data);

    private JsonNode Last() => _api.Last();

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
        await PostUpdateAsync(new { update_id = _api.NextUpdateId(), message = new { message_id = 3, date = 1_795_000_000, chat = TelegramBotApi.Chat(user), from = TelegramBotApi.From(user), contact = new { phone_number = phone, first_name = "Анна", user_id = user + 1 } } });
        Assert.Contains("своим контактом", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);

        await PostUpdateAsync(new { update_id = _api.NextUpdateId(), message = new { message_id = 4, date = 1_795_000_000, chat = TelegramBotApi.Chat(user), from = TelegramBotApi.From(user), contact = new { phone_number = phone.TrimStart('+'), first_name = "Анна", user_id = user } } });
        var orders = Last();
        Assert.Contains(orders["reply_markup"]!["inline_keyboard"]!.AsArray(), row => row![0]!["callback_data"]!.GetValue<string>() == "order:" + order);

        await PostUpdateAsync(Button(user, "order:" + order));
        Assert.Contains(Last()["reply_markup"]!["inline_keyboard"]!.AsArray(), row => row![0]!["callback_data"]!.GetValue<string>() == "type:damaged_item");
        await PostUpdateAsync(Button(user, "type:damaged_item"));
        Assert.Contains("фото", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);

        await PostUpdateAsync(new { update_id = _api.NextUpdateId(), message = new { message_id = 5, date = 1_795_000_000, chat = TelegramBotApi.Chat(user), from = TelegramBotApi.From(user), photo = new[] { new { file_id = "f1", file_unique_id = "u1", width = 10, height = 10, file_size = TelegramBotApi.Jpeg.Length } } } });
        Assert.Contains("Фото получено", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var appealUpdate = _api.NextUpdateId();
        await PostUpdateAsync(Text(user, "Чайник пришёл с трещиной на корпусе, прошу замену", appealUpdate));
        Assert.Contains("принято", Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var count = _api.Sent.Count;
        await PostUpdateAsync(Text(user, "Чайник пришёл с трещиной на корпусе, прошу замену", appealUpdate)); // Telegram retries
        Assert.Equal(count, _api.Sent.Count);

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
        _api.QueuedUpdates.Add(JsonSerializer.SerializeToNode(Text(user, "/start"))!);
        _ = _factory.CreateClient(); // starts the host and its polling service
        for (var i = 0; i < 100 && !_api.Sent.Any(m => m["chat_id"]!.GetValue<long>() == user); i++)
        {
            await Task.Delay(100);
        }
        var reply = Assert.Single(_api.Sent, m => m["chat_id"]!.GetValue<long>() == user);
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
