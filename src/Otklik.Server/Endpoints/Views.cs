using Otklik.Application.Policy;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Sla;
using Otklik.Core.Tickets;
using Otklik.Server.Contracts;

namespace Otklik.Server.Endpoints;

/// <summary>Maps stored decisions and tickets to the wire, in the reader's language and the desk's time zone.</summary>
public sealed class Views(PolicyProvider policies, SlaClock clock, TimeProvider time)
{
    /// <summary>"en" when the client prefers English, else Russian (the default).</summary>
    public static string LanguageOf(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().AcceptLanguage;
        foreach (var lang in accept.OrderByDescending(l => l.Quality ?? 1))
        {
            var value = lang.Value.Value ?? "";
            if (value.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return "en";
            }
            if (value.StartsWith("ru", StringComparison.OrdinalIgnoreCase))
            {
                return "ru";
            }
        }
        return "ru";
    }

    public DateTimeOffset Local(DateTimeOffset at) => clock.ToLocal(at);

    public DateTimeOffset? Local(DateTimeOffset? at) => at is { } v ? clock.ToLocal(v) : null;

    public DecisionView Decision(Appeal appeal, Decision decision, string language, Ticket? current = null, Ticket? admitted = null, bool details = false)
    {
        var renderer = new MessageRenderer(policies.Current, language, clock.TimeZone);
        var ticketRef = current is not null ? DecisionComposer.Ref(current) : decision.Ticket;
        return new DecisionView
        {
            AppealId = appeal.AppealId,
            Outcome = WireName.Of(decision.Outcome),
            PolicyVersion = decision.PolicyVersion,
            Reasons = [.. decision.Reasons.Select(r => new ReasonView(WireName.Of(r.Code), renderer.Reason(r, decision)))],
            Remediation = [.. decision.Remediation.Select(r => new RemediationView
            {
                Action = WireName.Of(r.Action),
                Message = renderer.Remediation(r, decision),
                Field = r.Field,
                Orders = r.Orders?.Select(o => new OrderChoiceView(o.Number, o.Status, Local(o.CreatedAt))).ToList(),
                Tickets = r.Tickets?.Select(TicketRef).ToList(),
                Channel = r.Channel is { } c ? WireName.Of(c) : null,
                Address = r.Address,
                At = Local(r.At),
            })],
            Alternatives = [.. decision.Alternatives.Select(a => new AlternativeView(WireName.Of(a.Channel), a.Address, a.Hours, renderer.Alternative(a)))],
            RetryAfterSeconds = decision.RetryAfterSeconds,
            Eta = Local(decision.Eta),
            Ticket = ticketRef is null ? null : TicketRef(ticketRef),
            FirstResponseDue = Local(current?.FirstResponseDue ?? decision.FirstResponseDue),
            Language = renderer.Language,
            AdmittedTicket = admitted is null ? null : TicketRef(DecisionComposer.Ref(admitted)),
            ReceivedAt = details ? Local(appeal.ReceivedAt) : null,
            Channel = details ? WireName.Of(appeal.Channel) : null,
            ProblemType = details ? appeal.ProblemType : null,
            Override = details && appeal.OverriddenAt is { } at ? new OverrideView(Local(at), appeal.OverriddenBy ?? "", appeal.OverrideReason ?? "") : null,
        };
    }

    public static TicketRefView TicketRef(TicketRef t) =>
        new(t.TicketId, t.Number, WireName.Of(t.Status), WireName.Of(t.Queue), WireName.Of(t.Priority));

    public TraceView Trace(Appeal appeal, Decision decision) => new(
        appeal.AppealId, decision.PolicyVersion, WireName.Of(decision.Outcome), decision.DecidedBy, WireName.Of(decision.Priority),
        [.. decision.Trace.Select(t => new TraceEntryView(t.Order, t.Rule, t.Verdict, t.Outcome is { } o ? WireName.Of(o) : null, t.Reason is { } r ? WireName.Of(r) : null, t.Observed, t.Limit, t.Detail, t.TicketId))]);

    public TicketView Ticket(Ticket t, bool withMessages)
    {
        var now = time.GetUtcNow();
        var breached = new List<string>(3);
        var done = t.Status is TicketStatus.Solved or TicketStatus.Closed;
        if (t.FirstResponseBreaches > 0 || (t.FirstRespondedAt ?? (done ? null : now)) > t.FirstResponseDue)
        {
            breached.Add("first_response");
        }
        if (!done && now > t.ResolutionDue)
        {
            breached.Add("resolution");
        }
        if (!done && t.LegalDeadline is { } legal && now > legal)
        {
            breached.Add("legal_deadline");
        }
        return new TicketView
        {
            TicketId = t.TicketId,
            Number = t.Number,
            Status = WireName.Of(t.Status),
            Queue = WireName.Of(t.Queue),
            Priority = WireName.Of(t.Priority),
            Assignee = t.Assignee,
            AccountId = t.AccountId,
            OrderNumber = t.OrderNumber,
            ProblemType = t.ProblemType,
            Demand = t.Demand is { } d ? WireName.Of(d) : null,
            Channel = WireName.Of(t.Channel),
            CreatedAt = Local(t.CreatedAt),
            UpdatedAt = Local(t.UpdatedAt),
            ReopenCount = t.ReopenCount,
            FollowUpOf = t.FollowUpOf,
            Sla = new SlaView(
                Local(t.FirstResponseDue), Local(t.FirstRespondedAt), Local(t.ResolutionDue), Local(t.LegalDeadline), t.Status == TicketStatus.Pending, breached,
                t.PenaltyRub(clock.LocalDate, now), t.LegalArticle, t.FirstResponseBreaches, Local(t.WarnedAt), Local(t.ClaimOfferedAt), t.ClaimOfferReason,
                t.ClaimOfferedAt is null ? null : new Dictionary<string, string>
                {
                    ["claim"] = $"/api/v1/tickets/{t.TicketId}/documents/claim",
                    ["regulator_complaint"] = $"/api/v1/tickets/{t.TicketId}/documents/regulator-complaint",
                }),
            Events = withMessages ? [.. t.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new TimelineEventView(WireName.Of(e.Kind), Local(e.At), e.Detail))] : null,
            Messages = withMessages ? [.. t.Messages.OrderBy(m => m.At).ThenBy(m => m.Id).Select(m => new MessageView(WireName.Of(m.Author), WireName.Of(m.Channel), m.Text, Local(m.At), m.Internal, m.AppealId))] : null,
        };
    }
}
