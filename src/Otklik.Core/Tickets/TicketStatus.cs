namespace Otklik.Core.Tickets;

public enum TicketStatus
{
    Open,
    Pending,
    Solved,
    Closed,
}

public static class TicketStatusExtensions
{
    /// <summary>Open and pending tickets still take new customer messages (gate rule 11).</summary>
    public static bool IsActive(this TicketStatus status) => status is TicketStatus.Open or TicketStatus.Pending;
}
