using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;
using B = Otklik.Core.Tests.Gate.GateContextBuilder;

namespace Otklik.Core.Tests.Gate;

public sealed class AdmissionGateTests
{
    private static readonly DateTimeOffset s_now = B.Now;

    public static TheoryData<string, Func<B, B>, Outcome, ReasonCode?> Cases => new()
    {
        { "clean appeal", b => b, Outcome.Accepted, null },
        { "1 blocked account", b => b.Account(a => a.Blocked = true), Outcome.Rejected, ReasonCode.BlockedRequester },
        { "2 thirty-first appeal in 24h", b => b.AppealsLastDay(30), Outcome.Rejected, ReasonCode.SpamSuspected },
        { "2 thirtieth appeal in 24h passes", b => b.AppealsLastDay(29), Outcome.Accepted, null },
        { "2 fifth requester with the same text", b => b.SameTextRequesters(4), Outcome.Rejected, ReasonCode.SpamSuspected },
        { "2 fourth requester with the same text passes", b => b.SameTextRequesters(3), Outcome.Accepted, null },
        { "3 identity not linked", b => b.Guest().Type("other"), Outcome.NeedsInfo, ReasonCode.VerificationRequired },
        { "3 identity linked, not verified", b => b.Unverified(), Outcome.NeedsInfo, ReasonCode.VerificationRequired },
        { "3 guest pre-purchase question", b => b.Guest().Type("pre_purchase_question").Text("Есть ли этот чайник в белом цвете и когда привезут?"), Outcome.Accepted, null },
        { "3 five failed confirmations within the hour", b => b.Identity(Failed(5, s_now.AddMinutes(-10))), Outcome.Rejected, ReasonCode.VerificationFailed },
        { "3 lock over after an hour", b => b.Identity(Failed(5, s_now.AddMinutes(-61))), Outcome.Accepted, null },
        { "4 inactive 366 days", b => b.Account(a => a.LastActiveAt = s_now.AddDays(-366)), Outcome.NeedsInfo, ReasonCode.AccountInactive },
        { "4 inactive 365 days passes", b => b.Account(a => a.LastActiveAt = s_now.AddDays(-365)), Outcome.Accepted, null },
        { "5 new account, order problem", b => b.Account(a => a.CreatedAt = s_now.AddDays(-1)).NoOrders().OrderNumber(null), Outcome.NeedsInfo, ReasonCode.NoOrderHistory },
        { "5 new account, other question", b => b.Account(a => a.CreatedAt = s_now.AddDays(-1)).NoOrders().OrderNumber(null).Type("other"), Outcome.Accepted, ReasonCode.AccountNew },
        { "6 too few letters", b => b.Text("Сломано!!"), Outcome.NeedsInfo, ReasonCode.TooVague },
        { "6 no words", b => b.Text("123456789 !!! ??? 987654321"), Outcome.NeedsInfo, ReasonCode.TooVague },
        { "6 one letter repeated", b => b.Text("аааааааааааааааааааааааа"), Outcome.NeedsInfo, ReasonCode.TooVague },
        { "7 no order given", b => b.OrderNumber(null), Outcome.NeedsInfo, ReasonCode.OrderRequired },
        { "8 unknown order", b => b.OrderNumber("999-9", null), Outcome.NeedsInfo, ReasonCode.OrderNotFound },
        { "8 someone else's order", b => b.OrderNumber("200-1", B.Order("200-1", "a-2", OrderStatus.Delivered, s_now.AddDays(-2))), Outcome.NeedsInfo, ReasonCode.OrderNotOwned },
        { "8 damage reported 31 days after delivery", b => b.WithOrder(B.Order("100-2", "a-1", OrderStatus.Delivered, s_now.AddDays(-31))), Outcome.NeedsInfo, ReasonCode.OrderNotEligible },
        { "8 damage reported 30 days after delivery passes", b => b.WithOrder(B.Order("100-2", "a-1", OrderStatus.Delivered, s_now.AddDays(-30))), Outcome.Accepted, null },
        { "8 return after 7 days", b => b.Type("return_request").WithOrder(B.Order("100-3", "a-1", OrderStatus.Delivered, s_now.AddDays(-8))), Outcome.NeedsInfo, ReasonCode.OrderNotEligible },
        { "8 return after 8 days without written return rules", b => b.Type("return_request").WithOrder(B.Order("100-3", "a-1", OrderStatus.Delivered, s_now.AddDays(-8), returnRules: false)), Outcome.Accepted, null },
        { "8 cancel a shipped order", b => b.Type("cancel_order").WithOrder(B.Order("100-4", "a-1", OrderStatus.Shipped)), Outcome.NeedsInfo, ReasonCode.OrderNotEligible },
        { "8 delay of a delivered order", b => b.Type("delivery_delay").Text("Где мой заказ, обещали привезти ещё вчера"), Outcome.NeedsInfo, ReasonCode.OrderNotEligible },
        { "8 seller's order belongs to a buyer: only existence checked", b => b.Role(RequesterRole.Seller).Type("shipment_issue").OrderNumber("300-1", B.Order("300-1", "a-9", OrderStatus.Paid)).Text("Поставка не принята складом, нужна помощь"), Outcome.Accepted, null },
        { "9 claimed phone differs", b => b.Claimed(new ClaimedData(null, "+7 999 000-00-00", null)), Outcome.NeedsInfo, ReasonCode.DataMismatch },
        { "9 claimed phone typed differently", b => b.Claimed(new ClaimedData(null, "8 (916) 123-45-67", null)), Outcome.Accepted, null },
        { "9 claimed name in another order of words", b => b.Claimed(new ClaimedData("петрова анна", null, null)), Outcome.Accepted, null },
        { "9 claimed e-mail differs", b => b.Claimed(new ClaimedData(null, null, "other@example.ru")), Outcome.NeedsInfo, ReasonCode.DataMismatch },
        { "10 damaged without photo", b => b.Attachments(), Outcome.NeedsInfo, ReasonCode.EvidenceRequired },
        { "10 damaged with a PDF only", b => b.Attachments(new AttachmentInfo("check.pdf", "application/pdf", 100)), Outcome.NeedsInfo, ReasonCode.EvidenceRequired },
        { "11 same order and type open", b => b.WithTicket(B.Ticket("100-1", "damaged_item", TicketStatus.Open)), Outcome.Merged, ReasonCode.DuplicateOpen },
        { "11 pending counts as open", b => b.WithTicket(B.Ticket("100-1", "damaged_item", TicketStatus.Pending)), Outcome.Merged, ReasonCode.DuplicateOpen },
        { "11 near-duplicate text without order", b => b.Type("other").OrderNumber(null).WithTicket(B.Ticket(null, "other", TicketStatus.Open)), Outcome.Merged, ReasonCode.DuplicateOpen },
        { "12 solved 10 days ago", b => b.WithTicket(B.Ticket("100-1", "damaged_item", TicketStatus.Solved, s_now.AddDays(-10))), Outcome.Reopened, ReasonCode.RepeatOfResolved },
        { "12 solved 31 days ago: new follow-up", b => b.WithTicket(B.Ticket("100-1", "damaged_item", TicketStatus.Solved, s_now.AddDays(-31))), Outcome.Accepted, null },
        { "12 closed: new follow-up", b => b.WithTicket(B.Ticket("100-1", "damaged_item", TicketStatus.Closed, s_now.AddDays(-2))), Outcome.Accepted, null },
        { "13 bucket empty", b => b.Tokens(0, s_now), Outcome.Rejected, ReasonCode.RateLimited },
        { "13 bucket refilled after 2.4 hours", b => b.Tokens(0, s_now.AddHours(-2.4)), Outcome.Accepted, null },
        { "13 merged appeals are not limited", b => b.Tokens(0, s_now).WithTicket(B.Ticket("100-1", "damaged_item", TicketStatus.Open)), Outcome.Merged, ReasonCode.DuplicateOpen },
        { "14 elevated load defers P4", b => b.Type("other").OrderNumber(null).Account(a => a.CreatedAt = s_now.AddDays(-1)).NoOrders().Load(10), Outcome.Deferred, ReasonCode.HighLoad },
        { "14 elevated load keeps P2", b => b.Load(10), Outcome.Accepted, null },
        { "14 high load defers P3", b => b.Type("other").OrderNumber(null).Load(30), Outcome.Deferred, ReasonCode.HighLoad },
        { "14 critical load defers P2", b => b.Load(100), Outcome.Deferred, ReasonCode.HighLoad },
        { "14 critical load never defers P1", b => b.Type("quality_defect").Load(1000), Outcome.Accepted, null },
        { "14 legal demand is P1 and never deferred", b => b.Demand(Appeals.Demand.Replacement).Load(1000), Outcome.Accepted, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_SeedRestriction_GivesOutcomeAndReason(string name, Func<B, B> arrange, Outcome outcome, ReasonCode? reason)
    {
        var result = arrange(new B()).Evaluate();
        Assert.True(outcome == result.Outcome, $"{name}: expected {outcome}, got {result.Outcome} ({result.DecidingRule})");
        var reasons = result.ReasonVerdicts.Select(v => v.Reason).ToList();
        if (reason is null)
        {
            Assert.Empty(reasons);
        }
        else
        {
            Assert.Contains(reason, reasons);
        }
    }

    [Fact]
    public void Evaluate_EveryRule_IsInTheTraceInSpecOrder()
    {
        var result = new B().Attachments().Evaluate();
        Assert.Equal(14, result.Verdicts.Length);
        Assert.Equal(["blocklist", "spam_protection", "identity_verification", "inactive_account", "new_account", "content", "order_required", "order_check",
            "data_mismatch", "evidence", "duplicate_open", "repeat_of_resolved", "rate_limit", "load"], result.Rules.Select(r => r.Name));
        Assert.Equal("evidence", result.DecidingRule);
        var trace = DecisionComposer.Trace(result);
        Assert.StartsWith("not_reached", trace[10].Verdict, StringComparison.Ordinal);
        Assert.Equal("decide", trace[9].Verdict);
    }

    [Fact]
    public void Evaluate_FirstDecidingRuleWins_EvenWhenLaterRulesWouldAlsoHold()
    {
        var result = new B().Account(a => a.Blocked = true).Text("плохо").Attachments().Evaluate();
        Assert.Equal(ReasonCode.BlockedRequester, result.Decision!.Value.Reason);
        Assert.Equal(VerdictEffect.Decide, result.Verdicts[5].Effect); // content would also hold it
        Assert.Equal(VerdictEffect.Decide, result.Verdicts[9].Effect); // and evidence
    }

    [Fact]
    public void NewAccountOtherQuestion_IsAcceptedAtP4_WithAccountNewAmongReasons()
    {
        var result = new B().Account(a => a.CreatedAt = s_now.AddDays(-1)).NoOrders().OrderNumber(null).Type("other").Evaluate();
        Assert.Equal(Outcome.Accepted, result.Outcome);
        Assert.Equal(PriorityClass.P4, result.Priority);
        Assert.Equal(ReasonCode.AccountNew, Assert.Single(result.ReasonVerdicts).Reason);
    }

    [Theory]
    [InlineData("damaged_item", null, PriorityClass.P2)]
    [InlineData("damaged_item", Appeals.Demand.Replacement, PriorityClass.P1)]
    [InlineData("damaged_item", Appeals.Demand.Information, PriorityClass.P2)]
    [InlineData("quality_defect", null, PriorityClass.P1)]
    [InlineData("other", null, PriorityClass.P3)]
    [InlineData("payment_issue", null, PriorityClass.P1)]
    public void Priority_FollowsCatalogAndLegalDemands(string type, Demand? demand, PriorityClass expected)
    {
        var b = new B().Type(type);
        if (type is "other" or "payment_issue")
        {
            b.OrderNumber(null);
        }
        if (demand is { } d)
        {
            b.Demand(d);
        }
        Assert.Equal(expected, b.Evaluate().Priority);
    }

    [Fact]
    public void RateLimit_RetryAfter_IsTheTimeToRefillOneToken()
    {
        var result = new B().Tokens(0.5, s_now).Evaluate();
        Assert.Equal(Outcome.Rejected, result.Outcome);
        // 10 tokens a day → half a token takes 1.2 hours.
        Assert.Equal(4320, result.Decision!.Value.RetryAfter!.Value.TotalSeconds, 0);
    }

    [Fact]
    public void RepeatOfResolved_ReopenedTicketIsTheSolvedOne()
    {
        var solved = B.Ticket("100-1", "damaged_item", TicketStatus.Solved, s_now.AddDays(-3));
        var result = new B().WithTicket(B.Ticket("100-5", "damaged_item", TicketStatus.Open, text: "совсем другой текст про наушники и звук")).WithTicket(solved).Evaluate();
        Assert.Equal(solved.Facts(), result.Decision!.Value.Ticket);
    }

    [Fact]
    public void FollowUp_NamesTheOldTicket()
    {
        var closed = B.Ticket("100-1", "damaged_item", TicketStatus.Closed, s_now.AddDays(-2));
        var result = new B().WithTicket(closed).Evaluate();
        Assert.Equal(Outcome.Accepted, result.Outcome);
        Assert.Equal(closed.Facts(), result.FollowUpOf);
    }

    [Fact]
    public void DataMismatch_NamesTheFieldsNeverTheAccountsValues()
    {
        var result = new B().Claimed(new ClaimedData("Иван Сидоров", "+79990000000", null)).Evaluate();
        var detail = result.Decision!.Value.Detail!;
        Assert.Equal("phone,name", detail);
        var decision = DecisionComposer.Compose(result, new B().Claimed(new ClaimedData("Иван Сидоров", "+79990000000", null)).Build(), null, null, null);
        Assert.Equal(["phone", "name"], decision.Remediation.Select(r => r.Field));
        Assert.DoesNotContain(decision.Trace, t => (t.Detail ?? "").Contains("7916", StringComparison.Ordinal));
    }

    [Fact]
    public void OrderRequired_OffersTheRequestersOrders()
    {
        var context = new B().OrderNumber(null).Build();
        var result = AdmissionGate.CreateDefault().Evaluate(context);
        var decision = DecisionComposer.Compose(result, context, null, null, null);
        var choose = Assert.Single(decision.Remediation, r => r.Action == RemediationAction.ChooseOrder);
        Assert.Equal("100-1", Assert.Single(choose.Orders!).Number);
    }

    [Fact]
    public void Alternatives_OmitTheChannelUsed_AndGiveTheRolesHotline()
    {
        var profile = new MarketplaceProfile();
        var buyer = DecisionComposer.Alternatives(profile, RequesterRole.Buyer, Channel.Telegram);
        Assert.DoesNotContain(buyer, a => a.Channel == Channel.Telegram);
        Assert.Equal("8-800-234-55-66", buyer.Single(a => a.Channel == Channel.Phone).Address);
        var seller = DecisionComposer.Alternatives(profile, RequesterRole.Seller, Channel.App);
        Assert.Equal("8-800-600-92-32", seller.Single(a => a.Channel == Channel.Phone).Address);
    }

    [Fact]
    public void PolicyValidate_RejectsBadThresholds_NamingTheField()
    {
        var bad = TestPolicy.Default with { Buyer = new RuleThresholds { RateBurst = 0 }, Catalog = [] };
        var errors = bad.Validate();
        Assert.Contains(errors, e => e.Field == "buyer.rate_burst");
        Assert.Contains(errors, e => e.Field == "catalog");
    }

    private static Identity Failed(int failures, DateTimeOffset last) => new()
    {
        Kind = IdentityKind.Phone,
        Value = "+79161234567",
        AccountId = "a-1",
        Verified = true,
        FailedConfirmations = failures,
        LastFailedAt = last,
    };
}
