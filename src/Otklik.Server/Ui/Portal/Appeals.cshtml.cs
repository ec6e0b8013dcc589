using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Appeals;
using Otklik.Server.Contracts;
using Otklik.Server.Endpoints;

namespace Otklik.Server.Ui.Portal;

public sealed class AppealsModel(AppealQueries appeals, Views views) : PageModel
{
    public IReadOnlyList<DecisionView> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (items, _) = await appeals.ListForAccountAsync(PortalUser.AccountId(User), null, 100, ct);
        var language = UiText.Language(HttpContext);
        Items = [.. items.Select(v => views.Decision(v.Appeal, v.Decision, language, v.Ticket, v.AdmittedTicket, details: true))];
    }
}
