using Otklik.Core.Appeals;

namespace Otklik.Core.Tickets;

public sealed class TicketMessage
{
    public long Id { get; init; }
    public long TicketSeq { get; init; }
    public MessageAuthor Author { get; init; }
    public Channel Channel { get; init; }
    public required string Text { get; init; }
    public DateTimeOffset At { get; init; }
    public bool Internal { get; init; }
    public string? AppealId { get; init; }
    public string? AuthorName { get; init; }
}
