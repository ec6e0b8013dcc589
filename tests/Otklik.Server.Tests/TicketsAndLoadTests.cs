using System.Net;
using System.Net.Http.Json;

namespace Otklik.Server.Tests;

/// <summary>Tickets, SLA fields, the deferred queue and the load level. Each test gets its own desk (load is desk-wide).</summary>
public sealed class TicketsAndLoadTests : IDisposable
{
    private readonly OtklikFactory _factory = new();
    private readonly HttpClient _integration;
    private readonly HttpClient _agent;

    public TicketsAndLoadTests()
    {
        _integration = _factory.Integration();
        _agent = _factory.Agent();
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Tickets_ListPagesByCursor_ReplyStopsTheFirstResponseClock_PendingPausesResolution()
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        string[] texts = ["Списали деньги дважды за один заказ", "Не приходит чек на почту после оплаты", "Как привязать вторую карту к аккаунту"];
        var ids = new List<string>();
        foreach (var t in texts)
        {
            ids.Add((await _integration.PostAppealAsync(Api.Appeal(account, null, "other", t, photo: false))).Body.Str("ticket.ticket_id"));
        }
        var page1 = await _agent.GetJsonAsync("/api/v1/tickets?queue=buyers&status=open&limit=2");
        Assert.Equal(2, page1["items"]!.AsArray().Count);
        var page2 = await _agent.GetJsonAsync($"/api/v1/tickets?queue=buyers&status=open&limit=2&cursor={page1.Str("next_cursor")}");
        Assert.Single(page2["items"]!.AsArray());
        Assert.Equal("null", page2.Str("next_cursor"));
        Assert.Equal(ids.AsEnumerable().Reverse(), page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(t => t!.Str("ticket_id")));
        Assert.Empty((await _agent.GetJsonAsync("/api/v1/tickets?queue=sellers"))["items"]!.AsArray());

        var id = ids[0];
        var note = await _agent.PostJsonAsync($"/api/v1/tickets/{id}/messages", new { text = "Проверить платёжный шлюз", @internal = true }, 201);
        Assert.Equal("null", note.Str("sla.first_responded_at"));
        var reply = await _agent.PostJsonAsync($"/api/v1/tickets/{id}/messages", new { text = "Здравствуйте! Проверяем списание.", @internal = false }, 201);
        Assert.NotEqual("null", reply.Str("sla.first_responded_at"));
        Assert.Equal("agent", reply.Str("messages.2.author"));

        var before = await _agent.GetJsonAsync($"/api/v1/tickets/{id}");
        var resolutionDue = DateTimeOffset.Parse(before.Str("sla.resolution_due"), System.Globalization.CultureInfo.InvariantCulture);
        var pending = await _agent.PostJsonAsync($"/api/v1/tickets/{id}/status", new { status = "pending" });
        Assert.Equal("true", pending.Str("sla.paused"));
        _factory.Time.Advance(TimeSpan.FromDays(2)); // Wed 12:00 → Fri 12:00: two whole business days
        var reopened = await _agent.PostJsonAsync($"/api/v1/tickets/{id}/status", new { status = "open" });
        Assert.Equal("false", reopened.Str("sla.paused"));
        var moved = DateTimeOffset.Parse(reopened.Str("sla.resolution_due"), System.Globalization.CultureInfo.InvariantCulture);
        // Received Wed 25 Nov (P3: 5 business days) → Wed 2 Dec; two business days pending → Fri 4 Dec.
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T23:59:59+03:00", System.Globalization.CultureInfo.InvariantCulture), resolutionDue);
        Assert.Equal(DateTimeOffset.Parse("2026-12-04T23:59:59+03:00", System.Globalization.CultureInfo.InvariantCulture), moved);
    }

    [Fact]
    public async Task Ticket_BreachedFirstResponse_IsReported()
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        var (_, body) = await _integration.PostAppealAsync(Api.Appeal(account, null, "payment_issue", "Деньги списались, а заказ не оформился", photo: false));
        var id = body.Str("ticket.ticket_id");
        Assert.Equal("P1", body.Str("ticket.priority"));
        Assert.Empty((await _agent.GetJsonAsync($"/api/v1/tickets/{id}"))["sla"]!["breached"]!.AsArray());
        _factory.Time.Advance(TimeSpan.FromDays(3));
        var breached = (await _agent.GetJsonAsync($"/api/v1/tickets/{id}"))["sla"]!["breached"]!.AsArray().Select(b => b!.GetValue<string>());
        Assert.Contains("first_response", breached);
    }

    [Fact]
    public async Task Load_FromCapacityAndBacklog_DefersLowClasses_AndAdmitsThemWhenLoadFalls()
    {
        var load = await _agent.GetJsonAsync("/api/v1/load");
        Assert.Equal("normal", load.Str("level"));

        // One agent, 10-hour tickets: each open ticket adds 10 hours of backlog.
        var capacity = await _factory.Supervisor().PutAsJsonAsync("/api/v1/capacity", new { agents_online = 1, avg_handle_minutes = 600 });
        Assert.Equal(HttpStatusCode.OK, capacity.StatusCode);
        var busy = Api.NewId("a");
        await _integration.PutAccountAsync(busy);
        var first = await _integration.PostAppealAsync(Api.Appeal(busy, null, "other", "Первая длинная история про бонусы и баллы", photo: false));
        Assert.Equal("accepted", first.Body.Str("outcome"));
        load = await _agent.GetJsonAsync("/api/v1/load");
        Assert.Equal("elevated", load.Str("level"));
        Assert.Equal("10", load.Str("backlog_hours"));

        // Elevated: a new account's question (P4) waits; P3 goes through.
        var newcomer = Api.NewId("a");
        await _integration.PutAccountAsync(newcomer, ageDays: 1, idleDays: 0);
        var (_, deferred) = await _integration.PostAppealAsync(Api.Appeal(newcomer, null, "other", "Как сменить язык интерфейса приложения", photo: false));
        Assert.Equal("deferred", deferred.Str("outcome"));
        Assert.Equal("high_load", deferred.Str("reasons.1.code"));
        Assert.NotEqual("null", deferred.Str("eta"));
        Assert.Equal("null", deferred.Str("ticket"));
        Assert.Equal("1", (await _agent.GetJsonAsync("/api/v1/load")).Str("deferred"));

        // P1 is never deferred, even at critical.
        await _factory.Supervisor().PutAsJsonAsync("/api/v1/capacity", new { agents_online = 0, avg_handle_minutes = 600 });
        Assert.Equal("critical", (await _agent.GetJsonAsync("/api/v1/load")).Str("level"));
        var urgent = Api.NewId("a");
        await _integration.PutAccountAsync(urgent);
        var (_, p1) = await _integration.PostAppealAsync(Api.Appeal(urgent, null, "payment_issue", "Списали деньги дважды, верните пожалуйста", photo: false));
        Assert.Equal("accepted", p1.Str("outcome"));

        // Capacity comes back: the deferred appeal is admitted and its decision shows the ticket.
        await _factory.Supervisor().PutAsJsonAsync("/api/v1/capacity", new { agents_online = 50, avg_handle_minutes = 10 });
        var now = await _integration.GetJsonAsync($"/api/v1/appeals/{deferred.Str("appeal_id")}");
        Assert.Equal("deferred", now.Str("outcome"));
        Assert.StartsWith("t_", now.Str("admitted_ticket.ticket_id"), StringComparison.Ordinal);
        Assert.Equal("0", (await _agent.GetJsonAsync("/api/v1/load")).Str("deferred"));
    }

    [Fact]
    public async Task SpamWave_FifthRequesterWithTheSameText_IsHeld()
    {
        var outcomes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var account = Api.NewId("a");
            await _integration.PutAccountAsync(account);
            var (_, body) = await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Срочно!!! Верните деньги за всё, иначе напишу везде", photo: false));
            outcomes.Add(body.Str("outcome") + ":" + body.Str("reasons.0.code"));
        }
        Assert.All(outcomes.Take(4), o => Assert.StartsWith("accepted", o, StringComparison.Ordinal));
        Assert.All(outcomes.Skip(4), o => Assert.Equal("rejected:spam_suspected", o));

        // The held ones wait in the review queue, and their senders are flagged for a human, not banned.
        var review = await _agent.GetJsonAsync("/api/v1/appeals?held=true&rule=spam_protection");
        Assert.Equal(2, review["items"]!.AsArray().Count);
        var flagged = review["items"]![0]!.Str("appeal_id");
        var appeal = await _agent.GetJsonAsync($"/api/v1/appeals/{flagged}");
        Assert.Equal("rejected", appeal.Str("outcome"));

        // An hour later the wave is over for new senders.
        _factory.Time.Advance(TimeSpan.FromMinutes(61));
        var late = Api.NewId("a");
        await _integration.PutAccountAsync(late);
        var (_, after) = await _integration.PostAppealAsync(Api.Appeal(late, null, "other", "Срочно!!! Верните деньги за всё, иначе напишу везде", photo: false));
        Assert.Equal("accepted", after.Str("outcome"));
    }

    [Fact]
    public async Task ReviewQueue_ListsHeldAppeals_UntilOverridden_AndAccountsShowTheirFlag()
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        await _integration.PutOrderAsync("o-" + account, account);
        var (_, held) = await _integration.PostAppealAsync(Api.Appeal(account, "o-" + account, photo: false));
        var queue = await _agent.GetJsonAsync("/api/v1/appeals?held=true");
        Assert.Contains(queue["items"]!.AsArray(), a => a!.Str("appeal_id") == held.Str("appeal_id"));
        Assert.Equal(HttpStatusCode.Forbidden, (await _integration.GetAsync("/api/v1/appeals?held=true")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _agent.GetAsync("/api/v1/appeals?outcome=maybe")).StatusCode);

        await _agent.PostJsonAsync($"/api/v1/appeals/{held.Str("appeal_id")}/override", new { reason = "Фото прислали в чат" });
        queue = await _agent.GetJsonAsync("/api/v1/appeals?held=true");
        Assert.DoesNotContain(queue["items"]!.AsArray(), a => a!.Str("appeal_id") == held.Str("appeal_id"));

        var view = await _agent.GetJsonAsync($"/api/v1/accounts/{account}");
        Assert.Equal("false", view.Str("flagged_for_review"));
        Assert.Equal("o-" + account, view.Str("orders.0.order_number"));
        Assert.Equal(HttpStatusCode.NotFound, (await _agent.GetAsync("/api/v1/accounts/no-such-account")).StatusCode);
    }

    [Fact]
    public async Task ThirtyFirstAppealIn24Hours_IsHeldAsSpam_RepeatsOfOneTextAreMerged()
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        var (_, first) = await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Не начислили баллы за отзыв о товаре", photo: false));
        for (var i = 0; i < 29; i++)
        {
            var (_, again) = await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Не начислили баллы за отзыв о товаре", photo: false));
            Assert.Equal("merged", again.Str("outcome"));
            Assert.Equal(first.Str("ticket.ticket_id"), again.Str("ticket.ticket_id"));
        }
        var (_, held) = await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Не начислили баллы за отзыв о товаре", photo: false));
        Assert.Equal("rejected", held.Str("outcome"));
        Assert.Equal("spam_suspected", held.Str("reasons.0.code"));
        Assert.Contains(held["remediation"]!.AsArray(), r => r!.Str("action") == "request_review");
        Assert.True((int)held["retry_after_seconds"]! > 0);
        Assert.Equal("true", (await _agent.GetJsonAsync($"/api/v1/accounts/{account}")).Str("flagged_for_review"));
    }

    [Fact]
    public async Task MergeAndReassign_ThroughTheApi_OnlyWithinOneCustomer()
    {
        var account = Api.NewId("a");
        var other = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        await _integration.PutAccountAsync(other);
        var first = (await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Не пришли баллы за отзыв на товар", photo: false))).Body;
        var second = (await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Как удалить старый адрес доставки из профиля", photo: false))).Body;
        var stranger = (await _integration.PostAppealAsync(Api.Appeal(other, null, "other", "Вопрос про подарочную карту магазина", photo: false))).Body;
        var firstId = first.Str("ticket.ticket_id");
        var secondId = second.Str("ticket.ticket_id");

        var refused = await _agent.PostAsJsonAsync($"/api/v1/tickets/{stranger.Str("ticket.ticket_id")}/merge", new { into = firstId });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _agent.PostAsJsonAsync($"/api/v1/tickets/{firstId}/merge", new { into = firstId })).StatusCode);

        var merged = await _agent.PostJsonAsync($"/api/v1/tickets/{secondId}/merge", new { into = first.Str("ticket.number") });
        Assert.Equal(firstId, merged.Str("ticket_id"));
        Assert.Contains(merged["messages"]!.AsArray(), m => m!.Str("text").Contains("адрес доставки", StringComparison.Ordinal));
        var source = await _agent.GetJsonAsync($"/api/v1/tickets/{secondId}");
        Assert.Equal("closed", source.Str("status"));
        Assert.Contains(source["events"]!.AsArray(), e => e!.Str("kind") == "merged");

        var assigned = await _agent.PostJsonAsync($"/api/v1/tickets/{firstId}/assignment", new { queue = "escalations", assignee = "agent" });
        Assert.Equal("escalations", assigned.Str("queue"));
        Assert.Equal("agent", assigned.Str("assignee"));
        Assert.Equal(HttpStatusCode.BadRequest, (await _agent.PostAsJsonAsync($"/api/v1/tickets/{firstId}/assignment", new { queue = "vip" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _integration.PostAsJsonAsync($"/api/v1/tickets/{firstId}/assignment", new { queue = "buyers" })).StatusCode);
    }

    [Fact]
    public async Task PersonalData_Export_ThenErasure_KeepsTheBareRecord()
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account, name: "Пётр Сидоров", phone: "+79161112233");
        await _integration.PutAsJsonAsync($"/api/v1/identities/telegram/{Random.Shared.Next(1_000_000, 9_000_000)}", new { account_id = account, verified = true });
        var (_, appeal) = await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Мой адрес Ленина 5, верните баллы", photo: false));
        var supervisor = _factory.Supervisor();

        var export = await supervisor.GetJsonAsync($"/api/v1/accounts/{account}/personal-data");
        Assert.Equal("Пётр Сидоров", export.Str("account.name"));
        Assert.Contains("Ленина", export.Str("appeals.0.text"), StringComparison.Ordinal);
        Assert.Single(export["identities"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await _agent.GetAsync($"/api/v1/accounts/{account}/personal-data")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.DeleteAsync($"/api/v1/accounts/{account}/personal-data")).StatusCode);
        var after = await supervisor.GetJsonAsync($"/api/v1/accounts/{account}/personal-data");
        Assert.Equal("null", after.Str("account.name"));
        Assert.Equal("null", after.Str("account.phone"));
        Assert.Empty(after["identities"]!.AsArray());
        Assert.DoesNotContain("Ленина", after.ToJsonString(), StringComparison.Ordinal);
        // The bare record of how the appeal was handled stays.
        var kept = await _agent.GetJsonAsync($"/api/v1/appeals/{appeal.Str("appeal_id")}");
        Assert.Equal("accepted", kept.Str("outcome"));
        var ticket = await _agent.GetJsonAsync($"/api/v1/tickets/{appeal.Str("ticket.ticket_id")}");
        Assert.DoesNotContain("Ленина", ticket.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.DeleteAsync("/api/v1/accounts/nobody/personal-data")).StatusCode);
    }

    [Fact]
    public async Task AcknowledgedAppeals_SurviveARestart()
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        var (_, body) = await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Вопрос о сроках возврата бонусов", photo: false));
        var dir = _factory.DataDirectory;
        _factory.Dispose();
        using var restarted = OtklikFactory.At(dir);
        var again = await restarted.Integration().GetJsonAsync($"/api/v1/appeals/{body.Str("appeal_id")}");
        Assert.Equal("accepted", again.Str("outcome"));
        Assert.Equal(body.Str("ticket.ticket_id"), again.Str("ticket.ticket_id"));
        var ticket = await restarted.Agent().GetJsonAsync($"/api/v1/tickets/{body.Str("ticket.ticket_id")}");
        Assert.Equal("open", ticket.Str("status"));
    }

    [Fact]
    public async Task HealthMetricsAndDocs_AreServed()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"store\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        await _integration.PostAppealAsync(Api.Appeal(account, null, "other", "Вопрос про метрики и счётчики обращений", photo: false));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("otklik_appeals", metrics, StringComparison.Ordinal);
        var openapi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/appeals", openapi, StringComparison.Ordinal);
        var docs = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }
}
