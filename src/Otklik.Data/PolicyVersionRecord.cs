namespace Otklik.Data;

/// <summary>One activation of a gate policy: the document, who switched it on, when, and from where.</summary>
public sealed class PolicyVersionRecord
{
    public long Id { get; init; }
    public required string Version { get; init; }
    public required string Json { get; init; }
    public required string ActivatedBy { get; init; }
    public DateTimeOffset ActivatedAt { get; init; }

    /// <summary>"editor" (a supervisor in the workspace or the API), "file" (the policy file), "default" (built in), "cli".</summary>
    public required string Source { get; init; }
}
