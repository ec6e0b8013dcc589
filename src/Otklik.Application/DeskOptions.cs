using System.ComponentModel.DataAnnotations;

namespace Otklik.Application;

/// <summary>Desk-wide settings (configuration section <c>Desk</c>).</summary>
public sealed class DeskOptions
{
    public const string Section = "Desk";

    /// <summary>IANA time zone the business days are counted in. Default Europe/Moscow.</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Moscow";

    /// <summary>Agents assumed online until the workforce system reports capacity. Default 40.</summary>
    [Range(0, 1_000_000)]
    public int DefaultAgentsOnline { get; set; } = 40;

    /// <summary>Average handle time assumed until capacity is reported, minutes. Default 12.</summary>
    [Range(0.1, 10_000)]
    public double DefaultAvgHandleMinutes { get; set; } = 12;

    /// <summary>How often the deferred queue is checked against the load, seconds. Default 5.</summary>
    [Range(1, 3600)]
    public int AdmissionIntervalSeconds { get; set; } = 5;

    /// <summary>How often the escalation ladder is checked, seconds. Default 30.</summary>
    [Range(1, 3600)]
    public int SlaSweepSeconds { get; set; } = 30;

    /// <summary>How often replies a channel could not take are retried, seconds. Default 15.</summary>
    [Range(1, 3600)]
    public int OutboxIntervalSeconds { get; set; } = 15;

    /// <summary>How often a node checks the store for a policy version activated elsewhere.</summary>
    public int PolicySyncSeconds { get; set; } = 5;

    /// <summary>How often a node reloads the API keys in the store (created, rotated, revoked elsewhere).</summary>
    public int KeyRefreshSeconds { get; set; } = 10;

    /// <summary>
    /// Requesters whose history the embedded store's writer keeps in memory between their appeals (account,
    /// orders, the day's appeals, tickets, rate bucket: ≈ 3 KB each under bench/load/run.sh's load), all
    /// forgotten when more are known or anything else writes to the store. 0 reads everything from the
    /// store. Default 25,000 (≈ 70 MB at most).
    /// </summary>
    [Range(0, 10_000_000)]
    public int WriterCacheRequesters { get; set; } = 25_000;

    /// <summary>
    /// Added to the nice value of the embedded store's writer thread (Linux): the single writer every appeal
    /// waits for runs ahead of the server's request threads, which on a small machine outnumber the cores.
    /// Negative values need root, CAP_SYS_NICE or a matching RLIMIT_NICE (systemd's <c>LimitNICE=</c>);
    /// refused, the writer keeps the server's priority and the server says so in its log. 0 leaves it.
    /// Default −10 (bench/load/run.sh: 52.7–54.7 against 40.4–41.7 % of the bare endpoint, docs/benchmarks.md).
    /// </summary>
    [Range(-39, 39)]
    public int WriterNiceness { get; set; } = -10;

    /// <summary>Checks every answer the writer gives from memory against the store, and fails the appeal if they differ (tests).</summary>
    public bool VerifyWriterCache { get; set; }

    /// <summary>Optional policy file; when absent the built-in default policy is used. Reloaded on change.</summary>
    public string? PolicyPath { get; set; }
}
