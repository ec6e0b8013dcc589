namespace Otklik.Core.Tickets;

public enum TicketEventKind
{
    StatusChanged,
    Reopened,
    FirstResponseWarning,
    FirstResponseBreached,
    LegalQueue,
    SystematicallyUnanswered,
    Reassigned,
    Merged,
}
