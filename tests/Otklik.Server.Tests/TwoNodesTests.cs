using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Sla;

namespace Otklik.Server.Tests;

/// <summary>
/// Two server nodes on one store (the same SQLite file, or with OTKLIK_TEST_POSTGRES the same
/// PostgreSQL database): scheduled SLA work runs once, and one idempotency key stays one appeal.
/// </summary>
public sealed class TwoNodesTests : IDisposable
{
    private readonly OtklikFactory _first = new();
    private readonly OtklikFactory _second;

    public TwoNodesTests()
    {
        _second = OtklikFactory.At(_first.DataDirectory);
    }

    public void Dispose()
    {
        _second.Dispose();
        _first.Dispose();
    }

    private static async Task SweepAsync(OtklikFactory node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SlaSweeper>().RunOnceAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SweepersOnTwoNodes_BreachEachTicketOnce()
    {
        var integration = _first.Integration();
        var tickets = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var account = Api.NewId("a");
            await integration.PutAccountAsync(account);
            var (_, body) = await integration.PostAppealAsync(Api.Appeal(account, null, "other", $"Вопрос номер {account} про баллы", photo: false));
            tickets.Add(body.Str("ticket.ticket_id"));
        }
        var late = DateTimeOffset.Parse("2026-12-01T06:00:00Z", CultureInfo.InvariantCulture);
        _first.Time.SetUtcNow(late);
        _second.Time.SetUtcNow(late);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => SweepAsync(i % 2 == 0 ? _first : _second)));

        var agent = _second.Agent();
        foreach (var id in tickets)
        {
            var ticket = await agent.GetJsonAsync($"/api/v1/tickets/{id}");
            Assert.Equal(1, ticket["events"]!.AsArray().Count(e => e!.Str("kind") == "first_response_breached"));
            Assert.Equal(1, ticket["messages"]!.AsArray().Count(m => m!.Str("author") == "system"));
        }
    }

    [Fact]
    public async Task OneIdempotencyKey_SentToBothNodesAtOnce_IsOneAppeal()
    {
        var account = Api.NewId("a");
        await _first.Integration().PutAccountAsync(account);
        var body = Api.Appeal(account, null, "other", "Один и тот же запрос на два узла сразу", photo: false);
        var key = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? _first : _second).Integration().PostAppealAsync(body, key)));
        Assert.Single(results.Select(r => r.Body.Str("appeal_id")).Distinct());
        var list = await _second.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals");
        Assert.Single(list["items"]!.AsArray());
    }
}
