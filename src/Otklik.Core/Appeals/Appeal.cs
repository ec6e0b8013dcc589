using Otklik.Core.Requesters;
using Otklik.Core.Text;
using Otklik.Core.Tickets;

namespace Otklik.Core.Appeals;

/// <summary>One attempt by a requester to reach support. Always stored, whatever the outcome.</summary>
public sealed class Appeal
{
    public const int MaxIdempotencyKeyLength = 255;
    public const int MaxClientNameLength = 100;

    public required string AppealId { get; init; }

    /// <summary>The API client that sent it; idempotency keys are unique per client.</summary>
    public required string ClientName { get; init; }
    public required string IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the canonical request body: the same key with another body is a conflict.</summary>
    public required string RequestHash { get; init; }

    public Channel Channel { get; init; }
    public required string RequesterKey { get; init; }
    public string? AccountId { get; init; }
    public RequesterRole Role { get; init; }
    public string? OrderNumber { get; init; }
    public required string ProblemType { get; init; }
    public Demand? Demand { get; init; }
    public required string Text { get; init; }
    public string TextStems { get; init; } = "";
    public long TextFingerprint { get; init; }
    public string AttachmentsJson { get; init; } = "[]";
    public string ClaimedJson { get; init; } = "{}";

    /// <summary>The request as received (JSON), kept for replay simulation and human review.</summary>
    public JsonText RequestJson { get; init; } = JsonText.EmptyObject;
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public Outcome Outcome { get; set; }
    public PriorityClass Priority { get; set; }
    public required string PolicyVersion { get; init; }
    public string? DecidedBy { get; init; }
    public required JsonText DecisionJson { get; set; }

    /// <summary>The first reason code of the decision (wire name), for statistics and replays.</summary>
    public string? Reason { get; init; }

    /// <summary>What the gate read about the requester at receipt (<see cref="Gate.GateSnapshot"/>), for replaying a candidate policy.</summary>
    public JsonText? ContextJson { get; set; }
    public string? TicketId { get; set; }

    /// <summary>A deferred appeal still waiting for the load to fall.</summary>
    public bool AwaitingAdmission { get; set; }
    public string? AdmittedTicketId { get; set; }
    public DateTimeOffset? AdmittedAt { get; set; }

    public DateTimeOffset? OverriddenAt { get; set; }
    public string? OverriddenBy { get; set; }
    public string? OverrideReason { get; set; }

    public void Admit(string ticketId, DateTimeOffset at)
    {
        AwaitingAdmission = false;
        AdmittedTicketId = ticketId;
        AdmittedAt = at;
    }

    public void Override(string ticketId, string by, string reason, DateTimeOffset at)
    {
        TicketId = ticketId;
        OverriddenAt = at;
        OverriddenBy = by;
        OverrideReason = reason;
    }
}
