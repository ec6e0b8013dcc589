using Otklik.Core.Gate;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Core.Appeals;

/// <summary>
/// Turns a gate result into the customer's decision: reasons, the concrete remediation the folk
/// advice stands for, the channels that take the appeal now, and the trace.
/// </summary>
public static class DecisionComposer
{
    private const int MaxOrderChoices = 10;

    public static Decision Compose(GateResult result, GateContext context, TicketRef? ticket, DateTimeOffset? firstResponseDue, DateTimeOffset? eta)
    {
        var reasons = new List<DecisionReason>();
        var remediation = new List<DecisionRemediation>();
        var retryAfter = result.Decision?.RetryAfter;
        foreach (var verdict in result.ReasonVerdicts)
        {
            reasons.Add(new DecisionReason(verdict.Reason!.Value, verdict.Detail));
            AddRemediation(remediation, verdict, context, result);
        }
        int? retrySeconds = retryAfter is { } r ? (int)Math.Ceiling(r.TotalSeconds) : null;
        return new Decision
        {
            Outcome = result.Outcome,
            PolicyVersion = context.Policy.Version,
            Priority = result.Priority,
            Reasons = reasons,
            Remediation = remediation,
            Alternatives = Alternatives(context.Policy.Profile, context.Request.Role, context.Request.Channel),
            RetryAfterSeconds = retrySeconds,
            RetryAt = retrySeconds is { } s ? context.Now.AddSeconds(s) : null,
            Eta = eta,
            Ticket = ticket,
            FirstResponseDue = firstResponseDue,
            DecidedBy = result.DecidingRule,
            Trace = Trace(result),
        };
    }

    public static IReadOnlyList<TraceEntry> Trace(GateResult result)
    {
        var trace = new TraceEntry[result.Verdicts.Length];
        for (var i = 0; i < trace.Length; i++)
        {
            var v = result.Verdicts[i];
            var verdict = Verb(v, notReached: result.DecidedBy >= 0 && i > result.DecidedBy);
            trace[i] = new TraceEntry(
                i + 1,
                result.Rules[i].Name,
                verdict,
                v.Effect == VerdictEffect.Decide ? v.Outcome : null,
                v.Reason,
                double.IsNaN(v.Observed) ? null : Round(v.Observed),
                double.IsNaN(v.Limit) ? null : Round(v.Limit),
                v.Detail,
                v.Ticket?.TicketId);
        }
        return trace;
    }

    public static IReadOnlyList<DecisionAlternative> Alternatives(MarketplaceProfile profile, RequesterRole role, Channel used)
    {
        var list = new List<DecisionAlternative>(5);
        var hotline = role == RequesterRole.Seller ? profile.SellerHotline : profile.BuyerHotline;
        if (used != Channel.Phone)
        {
            list.Add(new DecisionAlternative(Channel.Phone, hotline, profile.HotlineHours));
        }
        if (used != Channel.App)
        {
            list.Add(new DecisionAlternative(Channel.App, profile.AppPath, "24/7"));
        }
        if (used != Channel.Web)
        {
            list.Add(new DecisionAlternative(Channel.Web, profile.PortalUrl, "24/7"));
        }
        if (profile.TelegramBot is { } tg && used != Channel.Telegram)
        {
            list.Add(new DecisionAlternative(Channel.Telegram, tg, "24/7"));
        }
        if (profile.VkCommunity is { } vk && used != Channel.Vk)
        {
            list.Add(new DecisionAlternative(Channel.Vk, vk, "24/7"));
        }
        if (profile.SupportEmail is { } email && used != Channel.Email)
        {
            list.Add(new DecisionAlternative(Channel.Email, email, "24/7"));
        }
        return list;
    }

    private static void AddRemediation(List<DecisionRemediation> list, RuleVerdict verdict, GateContext context, GateResult result)
    {
        var profile = context.Policy.Profile;
        var hotline = new DecisionRemediation(RemediationAction.UseChannel)
        {
            Channel = Channel.Phone,
            Address = context.Request.Role == RequesterRole.Seller ? profile.SellerHotline : profile.BuyerHotline,
        };
        DateTimeOffset? retryAt = verdict.RetryAfter is { } r ? context.Now + r : null;
        switch (verdict.Reason)
        {
            case ReasonCode.BlockedRequester:
                list.Add(new DecisionRemediation(RemediationAction.RequestReview));
                break;
            case ReasonCode.SpamSuspected:
                list.Add(new DecisionRemediation(RemediationAction.RequestReview));
                list.Add(new DecisionRemediation(RemediationAction.TryLater) { At = retryAt });
                break;
            case ReasonCode.VerificationRequired:
                list.Add(verdict.Detail == "not_verified"
                    ? new DecisionRemediation(RemediationAction.ConfirmIdentity) { Channel = context.Request.Channel }
                    : new DecisionRemediation(RemediationAction.LinkPhone) { Channel = context.Request.Channel });
                list.Add(new DecisionRemediation(RemediationAction.UseChannel) { Channel = Channel.App, Address = profile.AppPath });
                break;
            case ReasonCode.VerificationFailed:
                list.Add(new DecisionRemediation(RemediationAction.TryLater) { At = retryAt });
                list.Add(hotline);
                break;
            case ReasonCode.AccountInactive:
                list.Add(new DecisionRemediation(RemediationAction.ConfirmIdentity) { Channel = Channel.Phone });
                break;
            case ReasonCode.NoOrderHistory:
                list.Add(new DecisionRemediation(RemediationAction.AddOrderNumber));
                list.Add(hotline);
                break;
            case ReasonCode.TooVague:
                list.Add(new DecisionRemediation(RemediationAction.DescribeClearly));
                break;
            case ReasonCode.OrderRequired:
                if (context.Orders.Count > 0)
                {
                    list.Add(new DecisionRemediation(RemediationAction.ChooseOrder) { Orders = Orders(context) });
                }
                list.Add(new DecisionRemediation(RemediationAction.AddOrderNumber));
                break;
            case ReasonCode.OrderNotFound:
            case ReasonCode.OrderNotOwned:
                list.Add(new DecisionRemediation(RemediationAction.AddOrderNumber));
                if (context.Orders.Count > 0)
                {
                    list.Add(new DecisionRemediation(RemediationAction.ChooseOrder) { Orders = Orders(context) });
                }
                break;
            case ReasonCode.OrderNotEligible:
                if (context.Orders.Count > 1)
                {
                    list.Add(new DecisionRemediation(RemediationAction.ChooseOrder) { Orders = Orders(context) });
                }
                list.Add(hotline);
                break;
            case ReasonCode.DataMismatch:
                foreach (var field in (verdict.Detail ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    list.Add(new DecisionRemediation(RemediationAction.FixField) { Field = field });
                }
                break;
            case ReasonCode.EvidenceRequired:
                list.Add(new DecisionRemediation(RemediationAction.AttachEvidence));
                break;
            case ReasonCode.DuplicateOpen:
                list.Add(new DecisionRemediation(RemediationAction.AddToTicket) { Tickets = [Ref(verdict.Ticket!)] });
                break;
            case ReasonCode.RepeatOfResolved:
                // From the second reopen on, the customer also gets the escalation routes (sla.md).
                if (verdict.Ticket!.ReopenCount + 1 >= 2)
                {
                    list.Add(hotline);
                    list.Add(new DecisionRemediation(RemediationAction.RequestReview));
                }
                break;
            case ReasonCode.RateLimited:
                list.Add(new DecisionRemediation(RemediationAction.TryLater) { At = retryAt });
                var open = context.Tickets.Where(t => t.Status.IsActive()).OrderByDescending(t => t.UpdatedAt).Select(Ref).ToList();
                if (open.Count > 0)
                {
                    list.Add(new DecisionRemediation(RemediationAction.AddToTicket) { Tickets = open });
                }
                break;
            case ReasonCode.HighLoad:
                list.Add(hotline);
                break;
            case ReasonCode.AccountNew:
            default:
                break;
        }
        _ = result;
    }

    private static List<OrderChoice> Orders(GateContext context) =>
        [.. context.Orders.Take(MaxOrderChoices).Select(o => new OrderChoice(o.Number, WireName.Of(o.Status), o.CreatedAt))];

    public static TicketRef Ref(Ticket t) => new(t.TicketId, t.Number, t.Status, t.Queue, t.Priority);

    // A method, not a property of the facts: they are stored with each appeal, and a number is derived from Seq.
    public static TicketRef Ref(TicketFacts t) => new(t.TicketId, Ticket.FormatNumber(t.Seq), t.Status, t.Queue, t.Priority);

    // Constants, not concatenations: the trace of every decision has up to 13 rules after the deciding one.
    private static string Verb(RuleVerdict v, bool notReached) => v.Effect switch
    {
        VerdictEffect.Decide => notReached ? "not_reached:decide" : "decide",
        VerdictEffect.Note => notReached ? "not_reached:note" : "note",
        VerdictEffect.NotApplicable => notReached ? "not_reached:not_applicable" : "not_applicable",
        _ => notReached ? "not_reached:pass" : "pass",
    };

    private static double Round(double value) => double.IsInfinity(value) ? double.MaxValue : Math.Round(value, 3);
}
