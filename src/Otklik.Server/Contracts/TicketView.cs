namespace Otklik.Server.Contracts;

public sealed record TicketView
{
    public required string TicketId { get; init; }
    public required string Number { get; init; }
    public required string Status { get; init; }
    public required string Queue { get; init; }
    public required string Priority { get; init; }
    public string? Assignee { get; init; }
    public string? AccountId { get; init; }
    public string? OrderNumber { get; init; }
    public required string ProblemType { get; init; }
    public string? Demand { get; init; }
    public required string Channel { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int ReopenCount { get; init; }
    public string? FollowUpOf { get; init; }
    public required SlaView Sla { get; init; }
    public IReadOnlyList<MessageView>? Messages { get; init; }
    public IReadOnlyList<TimelineEventView>? Events { get; init; }
}

public sealed record SlaView(
    DateTimeOffset FirstResponseDue, DateTimeOffset? FirstRespondedAt, DateTimeOffset ResolutionDue, DateTimeOffset? LegalDeadline,
    bool Paused, IReadOnlyList<string> Breached, decimal? PenaltyRub, string? LegalArticle, int FirstResponseBreaches,
    DateTimeOffset? WarnedAt, DateTimeOffset? ClaimOfferedAt, string? ClaimOfferReason, IReadOnlyDictionary<string, string>? Documents);

public sealed record TimelineEventView(string Kind, DateTimeOffset At, string? Detail);

public sealed record MessageView(string Author, string Channel, string Text, DateTimeOffset At, bool Internal, string? AppealId);
