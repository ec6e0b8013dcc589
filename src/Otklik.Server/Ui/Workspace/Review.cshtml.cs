using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Appeals;
using Otklik.Server.Endpoints;

namespace Otklik.Server.Ui.Workspace;

/// <summary>Held appeals (needs_info, rejected) with the rule that held them, and an override that turns one into a ticket.</summary>
public sealed class ReviewModel(AppealQueries appeals, AppealReview review, Views views) : PageModel
{
    public IReadOnlyList<AppealQueries.View> Items { get; private set; } = [];
    public Views Views => views;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (items, _) = await appeals.ListAsync(new AppealQueries.Filter(HeldOnly: true), null, 100, ct);
        Items = items;
    }

    public async Task<IActionResult> OnPostAsync(string? appealId, string? reason, CancellationToken ct)
    {
        if (appealId is not null && !string.IsNullOrWhiteSpace(reason) && reason.Length <= 2000)
        {
            await review.OverrideAsync(appealId, User.FindFirstValue("otklik:display") ?? User.Identity!.Name!, reason.Trim(), ct);
            var view = await appeals.GetAsync(appealId, ct);
            if (view?.Appeal.TicketId is { } ticketId)
            {
                return Redirect($"/workspace/tickets/{ticketId}");
            }
        }
        return Redirect("/workspace/review");
    }
}
