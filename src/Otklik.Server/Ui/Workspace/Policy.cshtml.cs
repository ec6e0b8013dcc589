using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Policy;
using Otklik.Data;

namespace Otklik.Server.Ui.Workspace;

/// <summary>
/// The supervisor's policy editor: the version in force and its history, a candidate checked against
/// the schema (errors by field), its diff against the version in force, and activation.
/// </summary>
[Authorize(Policy = WorkspaceUser.SupervisorPolicy)]
public sealed class PolicyModel(PolicyProvider provider, PolicyVersions versions, SimulationJobs jobs, TimeProvider time) : PageModel
{
    public const int MaxDocument = 1_000_000;

    public PolicyProvider.Active Current => provider.CurrentActive;
    public PolicyVersionRecord? CurrentRecord { get; private set; }
    public IReadOnlyList<PolicyVersionRecord> History { get; private set; } = [];
    public string Candidate { get; private set; } = "";
    public IReadOnlyList<(string Field, string Message)> Errors { get; private set; } = [];
    public IReadOnlyList<PolicyVersions.DiffLine>? Diff { get; private set; }
    public string? Activated { get; private set; }

    /// <summary>The default replay period: the last 30 days.</summary>
    public DateOnly ReplayFrom => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-30);

    public DateOnly ReplayTo => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(1);

    public async Task OnGetAsync(string? activated, CancellationToken ct)
    {
        Activated = activated;
        Candidate = PolicyVersions.Pretty(Current.Json);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCheckAsync(string? candidate, CancellationToken ct)
    {
        Candidate = candidate ?? "";
        var check = await CheckAsync(ct);
        if (check?.Policy is not null)
        {
            Diff = PolicyVersions.Diff(PolicyVersions.Pretty(Current.Json), check.Pretty);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostActivateAsync(string? candidate, CancellationToken ct)
    {
        Candidate = candidate ?? "";
        if (!TooLong())
        {
            var result = await versions.ActivateAsync(Candidate, Who, "editor", ct);
            if (result.Policy is { } policy)
            {
                return Redirect("/workspace/policy?activated=" + Uri.EscapeDataString(policy.Version));
            }
            Errors = result.Errors;
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Replays the period's appeals through the candidate in the background and shows the progress page.</summary>
    public async Task<IActionResult> OnPostSimulateAsync(string? candidate, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        Candidate = candidate ?? "";
        Core.Policy.GatePolicy? policy = null;
        if (!TooLong())
        {
            try
            {
                policy = PolicyProvider.Parse(Candidate);
            }
            catch (PolicyInvalidException ex)
            {
                Errors = ex.Errors;
            }
        }
        if (policy is not null && (from is null || to is null || to <= from))
        {
            Errors = [("period", "give a period: from a date to a later date")];
        }
        if (Errors.Count > 0 || policy is null)
        {
            await LoadAsync(ct);
            return Page();
        }
        var job = jobs.Start(policy, new DateTimeOffset(from!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            new DateTimeOffset(to!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), Who);
        return Redirect($"/workspace/policy/simulations/{job.Id}");
    }

    private string Who => User.FindFirstValue("otklik:display") ?? User.Identity!.Name!;

    /// <summary>Refuses a document too large to be a policy (and says so); false when it may be read.</summary>
    private bool TooLong()
    {
        if (Candidate.Length <= MaxDocument)
        {
            return false;
        }
        Errors = [("$", $"the document is longer than {MaxDocument} characters")];
        return true;
    }

    private async Task<PolicyVersions.Check?> CheckAsync(CancellationToken ct)
    {
        if (TooLong())
        {
            return null;
        }
        var check = await versions.CheckAsync(Candidate, ct);
        Errors = check.Errors;
        return check;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        History = await versions.ListAsync(50, ct);
        CurrentRecord = History.FirstOrDefault(v => v.Version == Current.Policy.Version) ?? await versions.FindAsync(Current.Policy.Version, ct);
    }
}
