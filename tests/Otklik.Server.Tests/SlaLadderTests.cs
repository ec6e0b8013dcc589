using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Sla;
using UglyToad.PdfPig;

namespace Otklik.Server.Tests;

/// <summary>
/// sla.md through the server: due times, the escalation ladder fired by moving the clock (once per
/// rung, also across a restart), legal deadlines and penalties, and the claim documents.
/// </summary>
public sealed class SlaLadderTests : IDisposable
{
    private OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private async Task<int> SweepAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SlaSweeper>().RunOnceAsync(CancellationToken.None);
    }

    private Task<JsonNode> TicketAsync(string id) => _factory.Agent().GetJsonAsync($"/api/v1/tickets/{id}");

    private static int Count(JsonNode ticket, string kind) => ticket["events"]!.AsArray().Count(e => e!.Str("kind") == kind);

    private async Task<(string Account, string TicketId)> OpenOtherTicketAsync()
    {
        var integration = _factory.Integration();
        var account = Api.NewId("a");
        await integration.PutAccountAsync(account);
        // Wed 25 Nov 12:00 Moscow; "other": P3, first response in 3 business days → Mon 30 Nov 23:59:59.
        var (_, body) = await integration.PostAppealAsync(Api.Appeal(account, null, "other", "Прошу объяснить начисление бонусов за ноябрь", photo: false));
        Assert.Equal("2026-11-30T23:59:59+03:00", body.Str("first_response_due"));
        return (account, body.Str("ticket.ticket_id"));
    }

    [Fact]
    public async Task Ladder_WarningThenBreachThenSecondBreach_EachOnce_ThenClaimDocuments()
    {
        var (_, id) = await OpenOtherTicketAsync();
        await SweepAsync();
        Assert.Equal(0, Count(await TicketAsync(id), "first_response_warning"));

        // The background sweeper may run at the same moment as these direct passes: the counts on
        // the ticket, not the passes' return values, show that each rung ran once.
        // 80 % of Wed 12:00 → Mon 23:59:59 is Sun 29 Nov ~21:36.
        _factory.Time.SetUtcNow(At("2026-11-29T19:00:00Z"));
        await SweepAsync();
        await SweepAsync();
        var warned = await TicketAsync(id);
        Assert.Equal(1, Count(warned, "first_response_warning"));
        var atRisk = await _factory.Supervisor().GetJsonAsync("/api/v1/sla/at-risk");
        Assert.Contains(atRisk["items"]!.AsArray(), t => t!.Str("ticket_id") == id);

        // Tue 1 Dec 09:00 Moscow: breached. One class up, escalations, the customer told, a new due time (Wed 2 Dec).
        _factory.Time.SetUtcNow(At("2026-12-01T06:00:00Z"));
        await SweepAsync();
        await SweepAsync();
        var breached = await TicketAsync(id);
        Assert.Equal(1, Count(breached, "first_response_breached"));
        Assert.Equal("P2", breached.Str("priority"));
        Assert.Equal("escalations", breached.Str("queue"));
        Assert.Equal("2026-12-02T23:59:59+03:00", breached.Str("sla.first_response_due"));
        Assert.Contains("first_response", breached["sla"]!["breached"]!.AsArray().Select(b => b!.GetValue<string>()));
        var notice = breached["messages"]!.AsArray().Last(m => m!.Str("author") == "system")!;
        Assert.Equal("false", notice!.Str("internal"));
        Assert.Contains("8-800-234-55-66", notice.Str("text"), StringComparison.Ordinal);
        Assert.Equal("null", breached.Str("sla.claim_offered_at"));
        var early = await _factory.Integration().GetAsync($"/api/v1/tickets/{id}/documents/claim");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        // The new due passes too: the second breach makes the requester systematically unanswered.
        _factory.Time.SetUtcNow(At("2026-12-03T06:00:00Z"));
        await SweepAsync();
        var unanswered = await TicketAsync(id);
        Assert.Equal(2, Count(unanswered, "first_response_breached"));
        Assert.Equal(1, Count(unanswered, "systematically_unanswered"));
        Assert.Equal("first_response_breached_twice", unanswered.Str("sla.claim_offer_reason"));
        Assert.Equal("P1", unanswered.Str("priority"));
        await SweepAsync();
        Assert.Equal(1, Count(await TicketAsync(id), "systematically_unanswered"));

        var html = await _factory.Integration().GetAsync($"/api/v1/tickets/{id}/documents/claim?format=html");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        var text = await html.Content.ReadAsStringAsync();
        Assert.Contains("Претензия", text, StringComparison.Ordinal);
        Assert.Contains("2300-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ladder_SurvivesARestartMidway_AndRunsEachRungOnce()
    {
        var (_, id) = await OpenOtherTicketAsync();
        _factory.Time.SetUtcNow(At("2026-11-29T19:00:00Z"));
        await SweepAsync();
        var dir = _factory.DataDirectory;
        _factory.Dispose();

        _factory = OtklikFactory.At(dir);
        _factory.Time.SetUtcNow(At("2026-11-29T20:00:00Z"));
        await SweepAsync(); // the warning is in the store, not in memory: it is not given again
        _factory.Time.SetUtcNow(At("2026-12-01T06:00:00Z"));
        await SweepAsync();
        var ticket = await TicketAsync(id);
        Assert.Equal(1, Count(ticket, "first_response_warning"));
        Assert.Equal(1, Count(ticket, "first_response_breached"));
    }

    [Fact]
    public async Task Ladder_RunsOnTheTimer_WhenTheClockMoves()
    {
        var (_, id) = await OpenOtherTicketAsync();
        // The sweeper's timer is driven by the injected clock: moving it past the due time fires the ladder.
        _factory.Time.Advance(At("2026-12-01T06:00:00Z") - _factory.Time.GetUtcNow());
        for (var i = 0; i < 50 && Count(await TicketAsync(id), "first_response_breached") == 0; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(1, Count(await TicketAsync(id), "first_response_breached"));
    }

    [Fact]
    public async Task AReply_StopsTheClock_SoNothingFires()
    {
        var (_, id) = await OpenOtherTicketAsync();
        await _factory.Agent().PostJsonAsync($"/api/v1/tickets/{id}/messages", new { text = "Здравствуйте, разбираемся." }, 201);
        _factory.Time.SetUtcNow(At("2026-12-10T06:00:00Z"));
        await SweepAsync();
        var ticket = await TicketAsync(id);
        Assert.Equal(0, Count(ticket, "first_response_warning") + Count(ticket, "first_response_breached"));
        Assert.DoesNotContain("first_response", ticket["sla"]!["breached"]!.AsArray().Select(b => b!.GetValue<string>()));
    }

    [Fact]
    public async Task LegalDeadline_QueuesToLegal_ThenPassesWithPenalty_AndThePdfCarriesTheFacts()
    {
        var integration = _factory.Integration();
        var account = Api.NewId("a");
        var order = "38211574-" + Random.Shared.Next(1000, 9999);
        await integration.PutAccountAsync(account, name: "Анна Петрова");
        await integration.PutOrderAsync(order, account, "delivered", deliveredDaysAgo: 5, price: 4990);
        // A refund demand for a defect (art. 22): 10 calendar days from the day after receipt.
        // Received Wed 25 Nov → last day Sat 5 Dec (a day off) → Mon 7 Dec 23:59:59.
        var (_, body) = await integration.PostAppealAsync(Api.Appeal(account, order, "quality_defect", "Чайник перестал греть через неделю, прошу вернуть деньги", demand: "refund"));
        Assert.Equal("accepted", body.Str("outcome"));
        Assert.Equal("P1", body.Str("ticket.priority"));
        var id = body.Str("ticket.ticket_id");
        var ticket = await TicketAsync(id);
        Assert.Equal("2026-12-07T23:59:59+03:00", ticket.Str("sla.legal_deadline"));
        Assert.Equal("22", ticket.Str("sla.legal_article"));
        await _factory.Agent().PostJsonAsync($"/api/v1/tickets/{id}/messages", new { text = "Передали продавцу, ждём решения." }, 201);

        _factory.Time.SetUtcNow(At("2026-12-06T09:00:00Z"));
        await SweepAsync();
        ticket = await TicketAsync(id);
        Assert.Equal("legal", ticket.Str("queue"));
        Assert.Equal(0m, ticket["sla"]!["penalty_rub"]!.GetValue<decimal>());

        // Three days late (8, 9, 10 Dec): 3 × 1 % × 4990 = 149.70 ₽, and the ladder offers the documents.
        _factory.Time.SetUtcNow(At("2026-12-10T09:00:00Z"));
        await SweepAsync();
        ticket = await TicketAsync(id);
        Assert.Equal(149.70m, ticket["sla"]!["penalty_rub"]!.GetValue<decimal>());
        Assert.Contains("legal_deadline", ticket["sla"]!["breached"]!.AsArray().Select(b => b!.GetValue<string>()));
        Assert.Equal("legal_deadline_passed", ticket.Str("sla.claim_offer_reason"));

        var pdf = await integration.GetAsync($"/api/v1/tickets/{id}/documents/claim?format=pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var claimText = PdfText(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains(order, claimText, StringComparison.Ordinal);
        Assert.Contains("Претензия", claimText, StringComparison.Ordinal);
        Assert.Contains("Статья 22", claimText, StringComparison.Ordinal);
        Assert.Contains("вернуть уплаченную за товар сумму", claimText, StringComparison.Ordinal);
        Assert.Contains(body.Str("appeal_id"), claimText, StringComparison.Ordinal);
        Assert.Contains("законного срока менее 2 дней", claimText, StringComparison.Ordinal);
        Assert.Contains("систематически", claimText, StringComparison.Ordinal);

        var complaint = await integration.GetAsync($"/api/v1/tickets/{id}/documents/regulator-complaint?format=pdf");
        var complaintText = PdfText(await complaint.Content.ReadAsByteArrayAsync());
        Assert.Contains("Роспотребнадзор", complaintText, StringComparison.Ordinal);
        Assert.Contains("59-ФЗ", complaintText, StringComparison.Ordinal);
        Assert.Contains(body.Str("appeal_id"), complaintText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeUnansweredAppealsAboutOneOrder_InTwoWeeks_OfferTheDocuments()
    {
        var integration = _factory.Integration();
        var account = Api.NewId("a");
        var order = Api.NewId("o");
        await integration.PutAccountAsync(account);
        await integration.PutOrderAsync(order, account, "shipped");
        string[] texts = ["Где мой заказ, обещали доставить вчера", "Заказ так и не приехал, ответьте пожалуйста", "Третий раз пишу про заказ, его всё нет"];
        string? id = null;
        foreach (var text in texts)
        {
            var (_, body) = await integration.PostAppealAsync(Api.Appeal(account, order, "delivery_delay", text, photo: false));
            id ??= body.Str("ticket.ticket_id");
            _factory.Time.Advance(TimeSpan.FromHours(2));
        }
        await SweepAsync();
        var ticket = await TicketAsync(id!);
        Assert.Equal("three_unanswered_appeals_in_14_days", ticket.Str("sla.claim_offer_reason"));
        Assert.Equal(3, ticket["messages"]!.AsArray().Count(m => m!.Str("author") == "customer"));
    }

    [Fact]
    public async Task Calendar_NextYearsDecree_IsValidatedAndLoaded()
    {
        var supervisor = _factory.Supervisor();
        var calendar = await supervisor.GetJsonAsync("/api/v1/calendar");
        Assert.Equal("2027-12-31", calendar.Str("last_day"));
        Assert.Equal(4, calendar["years"]!.AsArray().Count);

        // A made-up 2028 decree: the holidays of art. 112 on weekdays, the total counted honestly.
        string[] off = ["2028-01-03", "2028-01-04", "2028-01-05", "2028-01-06", "2028-01-07", "2028-02-23", "2028-03-08", "2028-05-01", "2028-05-09", "2028-06-12"];
        var total = 0;
        for (var d = new DateOnly(2028, 1, 1); d.Year == 2028; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !off.Contains(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            {
                total++;
            }
        }
        var wrong = await supervisor.PutAsJsonAsync("/api/v1/calendar/years/2028", new { decree = "test", weekday_days_off = off, weekend_working_days = Array.Empty<string>(), working_days = total + 1 });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("working days", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var gap = await supervisor.PutAsJsonAsync("/api/v1/calendar/years/2030", new { decree = "test", weekday_days_off = Array.Empty<string>(), working_days = 261 });
        Assert.Equal(HttpStatusCode.BadRequest, gap.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.Agent().PutAsJsonAsync("/api/v1/calendar/years/2028", new { working_days = total })).StatusCode);

        var ok = await supervisor.PutAsJsonAsync("/api/v1/calendar/years/2028", new { decree = "test", weekday_days_off = off, weekend_working_days = Array.Empty<string>(), working_days = total });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var dir = _factory.DataDirectory;
        _factory.Dispose();
        _factory = OtklikFactory.At(dir);
        Assert.Equal("2028-12-31", (await _factory.Supervisor().GetJsonAsync("/api/v1/calendar")).Str("last_day"));
    }

    [Fact]
    public async Task Readiness_WarnsWhenTheCalendarEndsWithin60Days()
    {
        var client = _factory.CreateClient();
        Assert.Contains("\"status\":\"healthy\"", await client.GetStringAsync("/health/ready"), StringComparison.Ordinal);
        _factory.Time.SetUtcNow(At("2027-11-15T09:00:00Z"));
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"degraded\"", body, StringComparison.Ordinal);
        Assert.Contains("2027-12-31", body, StringComparison.Ordinal);
    }

    private static string PdfText(byte[] bytes)
    {
        // Keep the documents as test artifacts when asked (OTKLIK_ARTIFACTS=dir), to look at them.
        if (Environment.GetEnvironmentVariable("OTKLIK_ARTIFACTS") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, $"document-{Guid.NewGuid():N}.pdf"), bytes);
        }
        using var document = PdfDocument.Open(bytes);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }
}
