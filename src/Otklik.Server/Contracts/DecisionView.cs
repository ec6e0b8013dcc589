using System.Text.Json.Serialization;

namespace Otklik.Server.Contracts;

/// <summary>The decision as the HTTP contract shows it (api.md).</summary>
public sealed record DecisionView
{
    public required string AppealId { get; init; }
    public required string Outcome { get; init; }
    public required string PolicyVersion { get; init; }
    public required IReadOnlyList<ReasonView> Reasons { get; init; }
    public required IReadOnlyList<RemediationView> Remediation { get; init; }
    public required IReadOnlyList<AlternativeView> Alternatives { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public DateTimeOffset? Eta { get; init; }
    public TicketRefView? Ticket { get; init; }
    public DateTimeOffset? FirstResponseDue { get; init; }
    public required string Language { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TicketRefView? AdmittedTicket { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ReceivedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Channel { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProblemType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OverrideView? Override { get; init; }
}

public sealed record ReasonView(string Code, string Message);

public sealed record RemediationView
{
    public required string Action { get; init; }
    public required string Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OrderChoiceView>? Orders { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TicketRefView>? Tickets { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Channel { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Address { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? At { get; init; }
}

public sealed record OrderChoiceView(string OrderNumber, string Status, DateTimeOffset CreatedAt);

public sealed record AlternativeView(string Channel, string Address, string Hours, string Message);

public sealed record TicketRefView(string TicketId, string Number, string Status, string Queue, string Priority);

public sealed record OverrideView(DateTimeOffset At, string By, string Reason);

public sealed record TraceView(string AppealId, string PolicyVersion, string Outcome, string? DecidedBy, string Priority, IReadOnlyList<TraceEntryView> Rules);

public sealed record TraceEntryView(int Order, string Rule, string Verdict, string? Outcome, string? Reason, double? Observed, double? Limit, string? Detail, string? TicketId);
