namespace Otklik.Channels.Phone;

/// <summary>What the telephony system posts when a call ends.</summary>
public sealed record CallEvent
{
    public string? CallId { get; init; }

    /// <summary>The number dialled: the buyers' or the sellers' hotline of the marketplace profile.</summary>
    public string? Line { get; init; }

    public string? Caller { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>False when the caller hung up before an agent answered.</summary>
    public bool? Answered { get; init; }

    public IvrChoices? Ivr { get; init; }

    /// <summary>The agent's summary of the call, or the transcript.</summary>
    public string? Summary { get; init; }
    public string? Transcript { get; init; }
}

public sealed record IvrChoices(string? ProblemType, string? OrderNumber);
