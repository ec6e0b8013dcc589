using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Portal;

namespace Otklik.Server.Tests;

/// <summary>
/// The VK community bot against a local server that speaks the VK API's messages.send: confirmation,
/// secrets, linking the VK id by a one-time code, appeals, retried events, agent replies sent back.
/// </summary>
public sealed class VkChannelTests : IAsyncLifetime
{
    private const string Secret = "vk-callback-secret-00001";
    private const long Group = 229_000_001;
    private readonly OtklikFactory _factory = new();
    private readonly ConcurrentQueue<Dictionary<string, string>> _sent = new();
    private volatile bool _vkDown;
    private readonly CapturingCodeSender _codes = new();
    private WebApplication? _vkApi;

    /// <summary>The SMS gateway's stand-in: keeps the codes so the test can type them like a customer would.</summary>
    private sealed class CapturingCodeSender : IOneTimeCodeSender
    {
        public ConcurrentDictionary<string, string> Last { get; } = new();

        public bool ShowsCodeOnPage => false;

        public Task SendAsync(string phone, string code, CancellationToken ct)
        {
            Last[phone] = code;
            return Task.CompletedTask;
        }
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _vkApi = builder.Build();
        _vkApi.MapPost("/method/messages.send", async (HttpRequest request) =>
        {
            if (_vkDown)
            {
                return Results.StatusCode(502);
            }
            var form = await request.ReadFormAsync();
            _sent.Enqueue(form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
            return Results.Text("{\"response\":1}", "application/json");
        });
        await _vkApi.StartAsync();
        _factory.Settings["Channels:Vk:Secret"] = Secret;
        _factory.Settings["Channels:Vk:Confirmation"] = "a1b2c3d4";
        _factory.Settings["Channels:Vk:GroupId"] = Group.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _factory.Settings["Channels:Vk:AccessToken"] = "vk-token";
        _factory.Settings["Channels:Vk:ApiBaseUrl"] = _vkApi.Urls.First();
        _factory.ExtraServices = s => s.AddSingleton<IOneTimeCodeSender>(_codes);
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _vkApi!.DisposeAsync();
    }

    private async Task<HttpResponseMessage> CallbackAsync(object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return await _factory.CreateClient().PostAsync("/api/v1/channels/vk/callback", content);
    }

    private static object Message(long from, string text, string eventId, string secret = Secret, long group = Group) => new
    {
        type = "message_new",
        group_id = group,
        event_id = eventId,
        secret,
        @object = new { message = new { id = 1, from_id = from, peer_id = from, text } },
    };

    private Dictionary<string, string> LastSent() => _sent.Last();

    [Fact]
    public async Task Confirmation_AndSecrets()
    {
        var confirmation = await CallbackAsync(new { type = "confirmation", group_id = Group });
        Assert.Equal("a1b2c3d4", await confirmation.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await CallbackAsync(Message(1, "привет", "e0", secret: "wrong-secret-wrong-secret"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CallbackAsync(Message(1, "привет", "e0", group: 1))).StatusCode);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task UnknownUser_IsHeldAndAsked_LinksByCode_ThenAppealsAndGetsAgentReplies()
    {
        var account = Api.NewId("a");
        var phone = "+7916" + Random.Shared.Next(1_000_000, 9_999_999);
        await _factory.Integration().PutAccountAsync(account, phone: phone, name: "Вера Орлова");
        var vkUser = Random.Shared.NextInt64(100_000, 900_000_000);

        var first = await CallbackAsync(Message(vkUser, "Где мой заказ? Уже неделю жду доставку", "e1"));
        Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        Assert.Contains("пришлите номер телефона", LastSent()["message"], StringComparison.Ordinal);
        var held = await _factory.Agent().GetJsonAsync("/api/v1/appeals?held=true&rule=identity_verification");
        Assert.NotEmpty(held["items"]!.AsArray());

        await CallbackAsync(Message(vkUser, phone, "e2"));
        Assert.Contains("пришёл код", LastSent()["message"], StringComparison.Ordinal);
        var code = _codes.Last[phone];
        await CallbackAsync(Message(vkUser, code, "e3"));
        Assert.StartsWith("Готово", LastSent()["message"], StringComparison.Ordinal);

        var sentBefore = _sent.Count;
        var appeal = await CallbackAsync(Message(vkUser, "Не начислили баллы за покупку наушников, проверьте пожалуйста", "e4"));
        Assert.Equal("ok", await appeal.Content.ReadAsStringAsync());
        var reply = LastSent();
        Assert.Contains("принято", reply["message"], StringComparison.Ordinal);
        Assert.Contains("Позвонить", reply["keyboard"], StringComparison.Ordinal);
        Assert.Equal(vkUser.ToString(System.Globalization.CultureInfo.InvariantCulture), reply["peer_id"]);

        // VK retries an event it thinks was lost: no second appeal, no second answer.
        await CallbackAsync(Message(vkUser, "Не начислили баллы за покупку наушников, проверьте пожалуйста", "e4"));
        Assert.Equal(sentBefore + 1, _sent.Count);
        var tickets = await _factory.Agent().GetJsonAsync($"/api/v1/tickets?account_id={account}");
        var ticket = Assert.Single(tickets["items"]!.AsArray())!;
        Assert.Equal("vk", ticket.Str("channel"));

        await _factory.Agent().PostJsonAsync($"/api/v1/tickets/{ticket.Str("ticket_id")}/messages", new { text = "Баллы начислены, проверьте профиль." }, 201);
        Assert.Contains("Баллы начислены", LastSent()["message"], StringComparison.Ordinal);

        // VK is down: the reply is kept in the outbox and goes out once VK answers again.
        _vkDown = true;
        await _factory.Agent().PostJsonAsync($"/api/v1/tickets/{ticket.Str("ticket_id")}/messages", new { text = "Второй ответ, пока ВКонтакте недоступен." }, 201);
        Assert.DoesNotContain("Второй ответ", LastSent()["message"], StringComparison.Ordinal);
        _vkDown = false;
        _factory.Time.Advance(TimeSpan.FromMinutes(3));
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Otklik.Application.Channels.ReplyOutbox>().SendDueAsync(CancellationToken.None);
        }
        // The outbox timer may take the retry instead of the direct pass; either way it goes out once.
        int Delivered() => _sent.Count(m => m["message"].Contains("Второй ответ", StringComparison.Ordinal));
        for (var i = 0; i < 50 && Delivered() == 0; i++)
        {
            await Task.Delay(100);
        }
        await Task.Delay(300);
        Assert.Equal(1, Delivered());

        // The escalation ladder tells the customer in VK too: the breach apology goes out through the outbox.
        var (_, other) = await _factory.Integration().PostAppealAsync(new { channel = "vk", requester = new { vk_id = vkUser.ToString(System.Globalization.CultureInfo.InvariantCulture) }, problem_type = "other", text = "Ещё вопрос: как поменять пароль от аккаунта маркетплейса" });
        Assert.Equal("accepted", other.Str("outcome"));
        _factory.Time.Advance(TimeSpan.FromDays(7));
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Otklik.Application.Sla.SlaSweeper>().RunOnceAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<Otklik.Application.Channels.ReplyOutbox>().SendDueAsync(CancellationToken.None);
        }
        // The background sweeper and outbox run on the same clock and may take the work first: wait for the message.
        bool Apologised() => _sent.Any(m => m["message"].Contains("Извините", StringComparison.Ordinal) && m["message"].Contains(other.Str("ticket.number"), StringComparison.Ordinal));
        for (var i = 0; i < 100 && !Apologised(); i++)
        {
            await Task.Delay(100);
            if (i % 10 == 9)
            {
                await using var retry = _factory.Services.CreateAsyncScope();
                await retry.ServiceProvider.GetRequiredService<Otklik.Application.Channels.ReplyOutbox>().SendDueAsync(CancellationToken.None);
            }
        }
        Assert.True(Apologised());
    }
}
