using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Dashboard;

namespace Otklik.Server.Ui.Workspace;

/// <summary>The supervisor's live view of intake, reasons, load, SLA and what each rule costs customers.</summary>
[Authorize(Policy = WorkspaceUser.SupervisorPolicy)]
public sealed class DashboardModel(DashboardQueries queries, TimeProvider time) : PageModel
{
    public static readonly string[] Ranges = ["24h", "7d", "30d"];

    public string RangeName { get; private set; } = "7d";
    public DashboardQueries.Summary Summary { get; private set; } = null!;

    public async Task OnGetAsync(string? range, CancellationToken ct)
    {
        RangeName = Ranges.Contains(range) ? range! : "7d";
        Summary = await queries.GetAsync(DashboardQueries.RangeFor(RangeName, time.GetUtcNow()), ct);
    }
}
