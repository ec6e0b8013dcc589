namespace Otklik.Data;

/// <summary>
/// A reply waiting to go out through a channel, written in the same transaction as the ticket
/// message, so a channel that is down delays a reply but never loses it.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }
    public required string TicketId { get; init; }
    public required string Channel { get; init; }
    public required string Text { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? LastError { get; set; }
}
