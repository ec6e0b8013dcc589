using Otklik.Core.Tickets;

namespace Otklik.Core.Sla;

/// <summary>
/// The escalation ladder of sla.md as a pure decision: which rungs are due for a ticket now. Each
/// rung leaves a mark on the ticket, so a rung that has run is never due again.
/// </summary>
public static class EscalationLadder
{
    public const int BreachesForUnanswered = 2;
    public const int UnansweredAppeals = 3;
    public static readonly TimeSpan UnansweredWindow = TimeSpan.FromDays(14);
    public static readonly TimeSpan LegalLead = TimeSpan.FromDays(2);

    /// <summary>What the ladder needs to know beyond the ticket itself.</summary>
    /// <param name="RequesterBreaches">First-response breaches across all of the requester's tickets.</param>
    /// <param name="UnansweredAppealsAboutOrder">Appeals about this order and problem in the last 14 days with no agent reply since.</param>
    public readonly record struct Facts(int RequesterBreaches, int UnansweredAppealsAboutOrder);

    public static IEnumerable<LadderStep> Due(Ticket ticket, DateTimeOffset now, Facts facts)
    {
        if (!ticket.Status.IsActive())
        {
            yield break;
        }
        // The first-response clock pauses while the ticket waits on the customer; legal terms never pause.
        var clockRuns = ticket.Status == TicketStatus.Open && ticket.FirstRespondedAt is null;
        if (clockRuns && ticket.WarnedAt is null && now >= ticket.FirstResponseWarnAt && now <= ticket.FirstResponseDue)
        {
            yield return LadderStep.Warning;
        }
        if (clockRuns && now > ticket.FirstResponseDue)
        {
            yield return LadderStep.FirstResponseBreach;
        }
        if (ticket.LegalDeadline is { } legal && ticket.LegalQueuedAt is null && legal - now <= LegalLead)
        {
            yield return LadderStep.LegalQueue;
        }
        if (ticket.ClaimOfferedAt is null && UnansweredReason(ticket, now, facts) is not null)
        {
            yield return LadderStep.SystematicallyUnanswered;
        }
    }

    /// <summary>Why the ticket counts as systematically unanswered, or null.</summary>
    public static string? UnansweredReason(Ticket ticket, DateTimeOffset now, Facts facts) =>
        facts.RequesterBreaches >= BreachesForUnanswered ? "first_response_breached_twice"
        : facts.UnansweredAppealsAboutOrder >= UnansweredAppeals ? "three_unanswered_appeals_in_14_days"
        : ticket.LegalDeadline is { } legal && now > legal ? "legal_deadline_passed"
        : null;
}
