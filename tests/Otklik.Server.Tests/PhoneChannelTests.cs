using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Otklik.Channels.Abstractions;

namespace Otklik.Server.Tests;

/// <summary>The phone hotline webhook: signed call events become appeals; replays, bad and stale signatures.</summary>
public sealed class PhoneChannelTests : IDisposable
{
    private const string Secret = "phone-webhook-secret-0001";
    private readonly OtklikFactory _factory = new();

    public PhoneChannelTests()
    {
        _factory.Settings["Channels:Phone:Secret"] = Secret;
    }

    public void Dispose() => _factory.Dispose();

    private async Task<(HttpResponseMessage Response, JsonNode Body)> PostCallAsync(object call, string? secret = Secret, DateTimeOffset? at = null)
    {
        var client = _factory.CreateClient();
        var json = JsonSerializer.Serialize(call);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels/phone/calls") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            var timestamp = (at ?? _factory.Time.GetUtcNow()).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.Add("X-Otklik-Timestamp", timestamp);
            request.Headers.Add("X-Otklik-Signature", WebhookSignature.Compute(secret, timestamp, Encoding.UTF8.GetBytes(json)));
        }
        var response = await client.SendAsync(request);
        return (response, await Api.BodyAsync(response));
    }

    private async Task<string> CallerAsync(string role = "buyer")
    {
        var account = Api.NewId("a");
        var phone = "+7916" + Random.Shared.Next(1_000_000, 9_999_999);
        await _factory.Integration().PutAccountAsync(account, role: role, phone: phone);
        return phone;
    }

    [Fact]
    public async Task SignedCall_FromAVerifiedPhone_IsAnAppeal_AndItsIdMakesRetriesSafe()
    {
        var caller = await CallerAsync();
        var call = new { call_id = "c-" + Guid.NewGuid(), line = "8-800-234-55-66", caller, answered = true, ivr = new { problem_type = "other" }, summary = "Клиент спрашивает, когда начислят баллы за отзыв" };
        var (created, decision) = await PostCallAsync(call);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("accepted", decision.Str("outcome"));
        var ticket = await _factory.Agent().GetJsonAsync($"/api/v1/tickets/{decision.Str("ticket.ticket_id")}");
        Assert.Equal("phone", ticket.Str("channel"));
        Assert.Equal("buyers", ticket.Str("queue"));

        var (replayed, again) = await PostCallAsync(call);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(decision.Str("appeal_id"), again.Str("appeal_id"));
    }

    [Fact]
    public async Task MissedCall_BecomesACallBackTask_OnTheSellersLine()
    {
        var caller = await CallerAsync("seller");
        var (response, decision) = await PostCallAsync(new { call_id = "c-" + Guid.NewGuid(), line = "+7 800 600 92 32", caller, answered = false });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("accepted", decision.Str("outcome"));
        var ticket = await _factory.Agent().GetJsonAsync($"/api/v1/tickets/{decision.Str("ticket.ticket_id")}");
        Assert.Equal("sellers", ticket.Str("queue"));
        Assert.Contains("перезвонить", ticket.Str("messages.0.text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCaller_IsHeldForVerification_NotLost()
    {
        var (response, decision) = await PostCallAsync(new { call_id = "c-" + Guid.NewGuid(), line = "88002345566", caller = "+79990001234", answered = true, summary = "Хочет вернуть деньги за отменённый заказ" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("needs_info", decision.Str("outcome"));
        Assert.Equal("verification_required", decision.Str("reasons.0.code"));
    }

    [Fact]
    public async Task BadOrStaleSignatures_And_BadEvents_AreRefused()
    {
        var caller = await CallerAsync();
        var call = new { call_id = "c-" + Guid.NewGuid(), line = "8-800-234-55-66", caller, answered = true, summary = "Вопрос про доставку заказа" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostCallAsync(call, secret: null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostCallAsync(call, secret: "another-secret-entirely")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostCallAsync(call, at: _factory.Time.GetUtcNow().AddMinutes(-10))).Response.StatusCode);
        var (badLine, problem) = await PostCallAsync(new { call_id = "c-x", line = "112", caller, answered = true });
        Assert.Equal(HttpStatusCode.BadRequest, badLine.StatusCode);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("line"));
    }
}
