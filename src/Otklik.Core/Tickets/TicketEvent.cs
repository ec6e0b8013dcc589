namespace Otklik.Core.Tickets;

/// <summary>One step on a ticket's timeline: status changes and every rung of the escalation ladder.</summary>
public sealed class TicketEvent
{
    public long Id { get; init; }
    public long TicketSeq { get; init; }
    public TicketEventKind Kind { get; init; }
    public DateTimeOffset At { get; init; }
    public string? Detail { get; init; }
}
