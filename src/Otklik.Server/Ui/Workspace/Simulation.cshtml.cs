using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Policy;

namespace Otklik.Server.Ui.Workspace;

/// <summary>A replay's progress, then what the candidate would change, per rule and reason, with examples.</summary>
[Authorize(Policy = WorkspaceUser.SupervisorPolicy)]
public sealed class SimulationModel(SimulationJobs jobs) : PageModel
{
    public SimulationJobs.Job Job { get; private set; } = null!;

    public IActionResult OnGet(string id)
    {
        if (jobs.Find(id) is not { } job)
        {
            return NotFound();
        }
        Job = job;
        return Page();
    }
}
