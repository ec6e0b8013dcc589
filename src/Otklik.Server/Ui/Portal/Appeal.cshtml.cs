using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Appeals;
using Otklik.Core.Appeals;
using Otklik.Server.Contracts;
using Otklik.Server.Endpoints;

namespace Otklik.Server.Ui.Portal;

/// <summary>The decision page: outcome, the reason in plain words, remediation as buttons that do the thing.</summary>
public sealed class AppealModel(AppealQueries appeals, Views views) : PageModel
{
    public Appeal? Appeal { get; private set; }
    public DecisionView? Decision { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var view = await appeals.GetAsync(id, ct);
        // Someone else's appeal is answered exactly like a missing one.
        if (view is null || view.Appeal.AccountId != PortalUser.AccountId(User))
        {
            return NotFound();
        }
        Appeal = view.Appeal;
        Decision = views.Decision(view.Appeal, view.Decision, UiText.Language(HttpContext), view.Ticket, view.AdmittedTicket, details: true);
        return Page();
    }
}
