using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Otklik.Server.Tests;

/// <summary>The appeals contract of api.md and the gate of gate.md, through HTTP.</summary>
public sealed class AppealsContractTests(OtklikFactory factory) : IClassFixture<OtklikFactory>
{
    private readonly HttpClient _integration = factory.Integration();
    private readonly HttpClient _agent = factory.Agent();

    private async Task<(string Account, string Order)> BuyerWithOrderAsync(string status = "delivered", int deliveredDaysAgo = 5)
    {
        var account = Api.NewId("a");
        var order = Api.NewId("o");
        await _integration.PutAccountAsync(account);
        await _integration.PutOrderAsync(order, account, status, deliveredDaysAgo);
        return (account, order);
    }

    [Fact]
    public async Task DamagedItem_WithoutPhoto_NeedsEvidence_ThenWithPhoto_OpensTicketWithDueTime()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var (response, held) = await _integration.PostAppealAsync(Api.Appeal(account, order, photo: false));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("needs_info", held.Str("outcome"));
        Assert.Equal("evidence_required", held.Str("reasons.0.code"));
        Assert.Equal("attach_evidence", held.Str("remediation.0.action"));
        Assert.False(string.IsNullOrWhiteSpace(held.Str("reasons.0.message")));
        Assert.Equal("null", held.Str("ticket"));
        Assert.Equal("ru", held.Str("language"));
        Assert.Contains(held["alternatives"]!.AsArray(), a => a!.Str("address") == "8-800-234-55-66");

        // Received Friday 20 Feb 2026 18:00: the spec's worked example with N = 2 (damaged_item).
        var (created, accepted) = await _integration.PostAppealAsync(Api.Appeal(account, order, receivedAt: DateTimeOffset.Parse("2026-02-20T18:00:00+03:00", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/appeals/{accepted.Str("appeal_id")}", created.Headers.Location!.ToString());
        Assert.Equal("accepted", accepted.Str("outcome"));
        Assert.Equal("2026-02-25T23:59:59+03:00", accepted.Str("first_response_due"));
        Assert.Equal("open", accepted.Str("ticket.status"));
        Assert.Equal("buyers", accepted.Str("ticket.queue"));
        Assert.Equal("P2", accepted.Str("ticket.priority"));
        Assert.Matches("^T-\\d{6}$", accepted.Str("ticket.number"));
        Assert.StartsWith("ap_", accepted.Str("appeal_id"), StringComparison.Ordinal);

        var ticket = await _agent.GetJsonAsync($"/api/v1/tickets/{accepted.Str("ticket.ticket_id")}");
        Assert.Equal(account, ticket.Str("account_id"));
        Assert.Equal(order, ticket.Str("order_number"));
        Assert.Equal("2026-02-25T23:59:59+03:00", ticket.Str("sla.first_response_due"));
        Assert.Equal("customer", ticket.Str("messages.0.author"));
    }

    [Fact]
    public async Task Replay_SameKeySameBody_Returns200WithTheStoredDecision_DifferentBodyIs409()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var key = Guid.NewGuid().ToString();
        var (first, firstBody) = await _integration.PostAppealAsync(Api.Appeal(account, order), key);
        var (again, againBody) = await _integration.PostAppealAsync(Api.Appeal(account, order), key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(firstBody.ToJsonString(), againBody.ToJsonString());

        var (conflict, problem) = await _integration.PostAppealAsync(Api.Appeal(account, order, text: "Совсем другой текст о другой проблеме с заказом"), key);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);
        Assert.Equal(409, (int)problem["status"]!);

        var list = await _agent.GetJsonAsync($"/api/v1/accounts/{account}/appeals");
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task ConcurrentRetries_WithOneKey_StoreOneAppeal()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var key = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _integration.PostAppealAsync(Api.Appeal(account, order), key)));
        Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.Created);
        Assert.All(results, r => Assert.Contains(r.Response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(results.Select(r => r.Body.Str("appeal_id")).Distinct());
        var list = await _agent.GetJsonAsync($"/api/v1/accounts/{account}/appeals");
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task TwoAppealsFromOneRequester_AtTheSameMoment_MakeOneTicket()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var results = await Task.WhenAll(
            _integration.PostAppealAsync(Api.Appeal(account, order)),
            _integration.PostAppealAsync(Api.Appeal(account, order, channel: "web")));
        var outcomes = results.Select(r => r.Body.Str("outcome")).Order().ToArray();
        Assert.Equal(["accepted", "merged"], outcomes);
        Assert.Single(results.Select(r => r.Body.Str("ticket.ticket_id")).Distinct());
        var tickets = await _agent.GetJsonAsync($"/api/v1/tickets?account_id={account}");
        Assert.Single(tickets["items"]!.AsArray());
    }

    [Fact]
    public async Task Merged_ThenSolved_ThenRepeated_IsReopenedIntoEscalations_ThenClosedRepeatIsAFollowUp()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var (_, first) = await _integration.PostAppealAsync(Api.Appeal(account, order));
        var ticketId = first.Str("ticket.ticket_id");
        var (_, merged) = await _integration.PostAppealAsync(Api.Appeal(account, order, text: "Пишу ещё раз: чайник треснул, корпус в трещинах, нужна замена"));
        Assert.Equal("merged", merged.Str("outcome"));
        Assert.Equal("duplicate_open", merged.Str("reasons.0.code"));
        Assert.Equal(ticketId, merged.Str("ticket.ticket_id"));
        Assert.Equal(first.Str("first_response_due"), merged.Str("first_response_due"));

        await _agent.PostJsonAsync($"/api/v1/tickets/{ticketId}/status", new { status = "solved" });
        var (_, reopened) = await _integration.PostAppealAsync(Api.Appeal(account, order, text: "Замену так и не прислали, чайник всё ещё с трещиной"));
        Assert.Equal("reopened", reopened.Str("outcome"));
        Assert.Equal("repeat_of_resolved", reopened.Str("reasons.0.code"));
        Assert.Equal("escalations", reopened.Str("ticket.queue"));
        Assert.Equal("P1", reopened.Str("ticket.priority"));
        var ticket = await _agent.GetJsonAsync($"/api/v1/tickets/{ticketId}");
        Assert.Equal("1", ticket.Str("reopen_count"));
        Assert.Equal("open", ticket.Str("status"));
        Assert.Equal(3, ticket["messages"]!.AsArray().Count(m => m!.Str("author") == "customer"));

        // The second reopen hands the customer the escalation routes.
        await _agent.PostJsonAsync($"/api/v1/tickets/{ticketId}/status", new { status = "solved" });
        var (_, second) = await _integration.PostAppealAsync(Api.Appeal(account, order, text: "Третий раз пишу про треснувший чайник"));
        Assert.Equal("reopened", second.Str("outcome"));
        Assert.Contains(second["remediation"]!.AsArray(), r => r!.Str("action") == "use_channel");
        var escalated = await _agent.GetJsonAsync($"/api/v1/tickets/{ticketId}");
        Assert.Equal("reopened_twice", escalated.Str("sla.claim_offer_reason"));
        Assert.Equal(HttpStatusCode.OK, (await _integration.GetAsync($"/api/v1/tickets/{ticketId}/documents/claim")).StatusCode);

        await _agent.PostJsonAsync($"/api/v1/tickets/{ticketId}/status", new { status = "closed" });
        var (_, followUp) = await _integration.PostAppealAsync(Api.Appeal(account, order, text: "Снова проблема с тем же чайником, трещина"));
        Assert.Equal("accepted", followUp.Str("outcome"));
        Assert.NotEqual(ticketId, followUp.Str("ticket.ticket_id"));
        var newTicket = await _agent.GetJsonAsync($"/api/v1/tickets/{followUp.Str("ticket.ticket_id")}");
        Assert.Equal(ticketId, newTicket.Str("follow_up_of"));
    }

    [Fact]
    public async Task RateLimit_FourthNewTicketInBurst_RejectedWithRetryAfterAndOpenTickets()
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        string[] texts = ["Не работает оплата картой, деньги списались дважды", "Вопрос про бонусные баллы за прошлый месяц", "Как поменять адрес доставки по умолчанию в профиле", "Хочу узнать про подарочные сертификаты магазина"];
        var outcomes = new List<JsonNode>();
        foreach (var text in texts)
        {
            var (_, body) = await _integration.PostAppealAsync(Api.Appeal(account, null, "other", text, photo: false));
            outcomes.Add(body);
        }
        Assert.All(outcomes.Take(3), o => Assert.Equal("accepted", o.Str("outcome")));
        var limited = outcomes[3];
        Assert.Equal("rejected", limited.Str("outcome"));
        Assert.Equal("rate_limited", limited.Str("reasons.0.code"));
        Assert.InRange((int)limited["retry_after_seconds"]!, 8000, 8700); // one token per 2.4 h
        var addTo = limited["remediation"]!.AsArray().Single(r => r!.Str("action") == "add_to_ticket");
        Assert.Equal(3, addTo!["tickets"]!.AsArray().Count);
    }

    [Fact]
    public async Task HeldReasons_ThroughHttp()
    {
        var (account, order) = await BuyerWithOrderAsync();
        async Task<JsonNode> Post(object body) => (await _integration.PostAppealAsync(body)).Body;

        Assert.Equal("order_required", (await Post(Api.Appeal(account, null))).Str("reasons.0.code"));
        var required = await Post(Api.Appeal(account, null));
        Assert.Equal(order, required["remediation"]!.AsArray().Single(r => r!.Str("action") == "choose_order")!.Str("orders.0.order_number"));
        Assert.Equal("order_not_found", (await Post(Api.Appeal(account, "no-such-order"))).Str("reasons.0.code"));
        var (other, otherOrder) = await BuyerWithOrderAsync();
        _ = other;
        var notOwned = await Post(Api.Appeal(account, otherOrder));
        Assert.Equal("order_not_owned", notOwned.Str("reasons.0.code"));
        Assert.DoesNotContain(other, notOwned.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("too_vague", (await Post(Api.Appeal(account, order, text: "сломано"))).Str("reasons.0.code"));

        var (late, lateOrder) = await BuyerWithOrderAsync(deliveredDaysAgo: 40);
        Assert.Equal("order_not_eligible", (await Post(Api.Appeal(late, lateOrder))).Str("reasons.0.code"));

        var mismatch = await Post(new
        {
            channel = "app",
            requester = new { account_id = account },
            order_number = order,
            problem_type = "damaged_item",
            text = "Чайник с трещиной, прошу вернуть деньги за товар",
            claimed = new { phone = "+79990001122" },
            attachments = new[] { new { name = "p.jpg", content_type = "image/jpeg", size = 10 } },
        });
        Assert.Equal("data_mismatch", mismatch.Str("reasons.0.code"));
        Assert.Equal("phone", mismatch.Str("remediation.0.field"));
    }

    [Fact]
    public async Task AccountStates_Blocked_Inactive_New_ThroughHttp()
    {
        var blocked = Api.NewId("a");
        await _integration.PutAccountAsync(blocked, blocked: true);
        var (_, b) = await _integration.PostAppealAsync(Api.Appeal(blocked, null, "other", "Почему меня заблокировали, я ничего не нарушал", photo: false));
        Assert.Equal("rejected", b.Str("outcome"));
        Assert.Equal("blocked_requester", b.Str("reasons.0.code"));
        Assert.Equal("request_review", b.Str("remediation.0.action"));

        var inactive = Api.NewId("a");
        await _integration.PutAccountAsync(inactive, idleDays: 400);
        var (_, i) = await _integration.PostAppealAsync(Api.Appeal(inactive, null, "other", "Давно не заходил, хочу узнать про свои баллы", photo: false));
        Assert.Equal("account_inactive", i.Str("reasons.0.code"));

        var fresh = Api.NewId("a");
        await _integration.PutAccountAsync(fresh, ageDays: 1, idleDays: 0);
        var (_, n1) = await _integration.PostAppealAsync(Api.Appeal(fresh, "38211574-0099", "not_received", "Где мой заказ, его всё нет и нет", photo: false));
        Assert.Equal("needs_info", n1.Str("outcome"));
        Assert.Equal("no_order_history", n1.Str("reasons.0.code"));
        var (_, n2) = await _integration.PostAppealAsync(Api.Appeal(fresh, null, "other", "Подскажите, как оформить юридическое лицо в профиле", photo: false));
        Assert.Equal("accepted", n2.Str("outcome"));
        Assert.Equal("account_new", n2.Str("reasons.0.code"));
        Assert.Equal("P4", n2.Str("ticket.priority"));
    }

    [Fact]
    public async Task Identities_UnlinkedTelegram_NeedsVerification_LinkedAndVerified_GetsThrough()
    {
        var account = Api.NewId("a");
        var telegram = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);
        await _integration.PutAccountAsync(account);
        object Body() => new { channel = "telegram", requester = new { telegram_id = telegram }, problem_type = "other", text = $"Как вернуть бонусы за отменённый заказ {account}" };
        var (_, unlinked) = await _integration.PostAppealAsync(Body());
        Assert.Equal("verification_required", unlinked.Str("reasons.0.code"));
        Assert.Equal("link_phone", unlinked.Str("remediation.0.action"));

        var put = await _integration.PutAsJsonAsync($"/api/v1/identities/telegram/{telegram}", new { account_id = account, verified = false });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var (_, unverified) = await _integration.PostAppealAsync(Body());
        Assert.Equal("confirm_identity", unverified.Str("remediation.0.action"));

        put = await _integration.PutAsJsonAsync($"/api/v1/identities/telegram/{telegram}", new { account_id = account, verified = true });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var (_, accepted) = await _integration.PostAppealAsync(Body());
        Assert.Equal("accepted", accepted.Str("outcome"));
        var ticket = await _agent.GetJsonAsync($"/api/v1/tickets/{accepted.Str("ticket.ticket_id")}");
        Assert.Equal(account, ticket.Str("account_id"));
        Assert.Equal("telegram", ticket.Str("channel"));

        // A guest by phone may still ask before buying.
        var (_, guest) = await _integration.PostAppealAsync(new { channel = "phone", requester = new { phone = "+7 900 " + Random.Shared.Next(1000000, 9999999) }, problem_type = "pre_purchase_question", text = "Есть ли этот пылесос в наличии в Казани?" });
        Assert.Equal("accepted", guest.Str("outcome"));
        Assert.Equal("P4", guest.Str("ticket.priority"));
    }

    [Fact]
    public async Task FailedConfirmations_FiveTimes_RejectForAnHour()
    {
        var account = Api.NewId("a");
        var vk = Random.Shared.Next(10_000_000, 90_000_000);
        await _integration.PutAccountAsync(account);
        await _integration.PutAsJsonAsync($"/api/v1/identities/vk/{vk}", new { account_id = account, verified = false });
        for (var i = 0; i < 5; i++)
        {
            var r = await _integration.PostAsJsonAsync($"/api/v1/identities/vk/{vk}/confirmations", new { success = false });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        var (_, locked) = await _integration.PostAppealAsync(new { channel = "vk", requester = new { vk_id = vk.ToString(System.Globalization.CultureInfo.InvariantCulture) }, problem_type = "other", text = "Не получается подтвердить код, помогите" });
        Assert.Equal("rejected", locked.Str("outcome"));
        Assert.Equal("verification_failed", locked.Str("reasons.0.code"));
        Assert.InRange((int)locked["retry_after_seconds"]!, 3500, 3600);
    }

    [Fact]
    public async Task EscapedEmoji_IsText_NotAnError()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var body = $"{{\"channel\":\"app\",\"requester\":{{\"account_id\":\"{account}\"}},\"order_number\":\"{order}\",\"problem_type\":\"damaged_item\",\"text\":\"Чайник треснул \\ud83d\\ude22 прошу замену\",\"attachments\":[{{\"name\":\"p.jpg\",\"content_type\":\"image/jpeg\",\"size\":5}}]}}";
        var (response, decision) = await _integration.SendRawAsync(HttpMethod.Post, "/api/v1/appeals", body, key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticket = await _agent.GetJsonAsync($"/api/v1/tickets/{decision.Str("ticket.ticket_id")}");
        Assert.Contains("\U0001F622", ticket.Str("messages.0.text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_OnRequest()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var (_, body) = await _integration.PostAppealAsync(Api.Appeal(account, order, photo: false), language: "en-US,en;q=0.9");
        Assert.Equal("en", body.Str("language"));
        Assert.StartsWith("Please attach", body.Str("reasons.0.message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_TurnsAHeldAppealIntoATicket_Once()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var (_, held) = await _integration.PostAppealAsync(Api.Appeal(account, order, photo: false));
        var id = held.Str("appeal_id");
        var overridden = await _agent.PostJsonAsync($"/api/v1/appeals/{id}/override", new { reason = "Фото пришло в чат оператору" });
        Assert.Equal("needs_info", overridden.Str("outcome"));
        Assert.StartsWith("t_", overridden.Str("ticket.ticket_id"), StringComparison.Ordinal);
        await _agent.PostJsonAsync($"/api/v1/appeals/{id}/override", new { reason = "ещё раз" }, 409);
        await _integration.PostJsonAsync($"/api/v1/appeals/{id}/override", new { reason = "x" }, 403);
        await _agent.PostJsonAsync($"/api/v1/appeals/{id}/override", new { reason = "" }, 400);
        await _agent.PostJsonAsync("/api/v1/appeals/ap_nope/override", new { reason = "x" }, 404);
    }

    [Fact]
    public async Task Trace_ListsEveryRule_ForAgentsOnly()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var (_, body) = await _integration.PostAppealAsync(Api.Appeal(account, order, photo: false));
        var trace = await _agent.GetJsonAsync($"/api/v1/appeals/{body.Str("appeal_id")}/trace");
        Assert.Equal(14, trace["rules"]!.AsArray().Count);
        Assert.Equal("evidence", trace.Str("decided_by"));
        Assert.Equal("2026-11-25.1", trace.Str("policy_version"));
        var forbidden = await _integration.GetAsync($"/api/v1/appeals/{body.Str("appeal_id")}/trace");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.DoesNotContain("rules", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountAppeals_NewestFirst_PagedWithCursor()
    {
        var (account, order) = await BuyerWithOrderAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            factory.Time.Advance(TimeSpan.FromSeconds(1));
            ids.Add((await _integration.PostAppealAsync(Api.Appeal(account, order, photo: false))).Body.Str("appeal_id"));
        }
        var page1 = await _integration.GetJsonAsync($"/api/v1/accounts/{account}/appeals?limit=3");
        Assert.Equal(ids.AsEnumerable().Reverse().Take(3), page1["items"]!.AsArray().Select(a => a!.Str("appeal_id")));
        var page2 = await _integration.GetJsonAsync($"/api/v1/accounts/{account}/appeals?limit=3&cursor={page1.Str("next_cursor")}");
        Assert.Equal(ids.Take(2).Reverse(), page2["items"]!.AsArray().Select(a => a!.Str("appeal_id")));
        Assert.Equal("null", page2.Str("next_cursor"));
    }
}
