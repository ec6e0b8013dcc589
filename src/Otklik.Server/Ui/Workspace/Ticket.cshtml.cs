using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Otklik.Application.Appeals;
using Otklik.Application.Portal;
using Otklik.Application.Tickets;
using Otklik.Core;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;
using Otklik.Data;
using Otklik.Server.Contracts;
using Otklik.Server.Endpoints;

namespace Otklik.Server.Ui.Workspace;

/// <summary>The ticket page: the conversation across channels, the customer's orders and earlier tickets, the gate's trace, reply and status.</summary>
public sealed class TicketModel(TicketQueries tickets, TicketCommands commands, AppealQueries appeals, CustomerPortal portal, OtklikDbContext db, Views views) : PageModel
{
    public TicketView? Ticket { get; private set; }
    public Requester? Customer { get; private set; }
    public IReadOnlyList<Order> Orders { get; private set; } = [];
    public IReadOnlyList<Ticket> Earlier { get; private set; } = [];
    public IReadOnlyList<TraceView> Traces { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var ticket = await tickets.GetAsync(id, ct);
        if (ticket is null)
        {
            return NotFound();
        }
        Ticket = views.Ticket(ticket, withMessages: true);
        if (ticket.AccountId is { } accountId)
        {
            Customer = await portal.AccountAsync(accountId, ct);
            Orders = await portal.OrdersAsync(accountId, ct);
        }
        Earlier = [.. (await tickets.ForRequesterAsync(ticket.RequesterKey, ct)).Where(t => t.TicketId != id)];
        var appealIds = await db.Appeals.AsNoTracking().Where(a => a.TicketId == id || a.AdmittedTicketId == id).OrderBy(a => a.CreatedAt).Select(a => a.AppealId).ToListAsync(ct);
        var traces = new List<TraceView>();
        foreach (var appealId in appealIds)
        {
            if (await appeals.GetAsync(appealId, ct) is { } view)
            {
                traces.Add(views.Trace(view.Appeal, view.Decision));
            }
        }
        Traces = traces;
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(string id, string? text, bool @internal, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(text) && text.Length <= Core.Appeals.AppealRequest.MaxTextLength)
        {
            await commands.AddMessageAsync(id, text.Trim(), @internal, User.FindFirstValue("otklik:display") ?? User.Identity!.Name!, ct);
        }
        return Redirect($"/workspace/tickets/{id}");
    }

    public async Task<IActionResult> OnPostStatusAsync(string id, string? status, CancellationToken ct)
    {
        if (WireName.TryParse<TicketStatus>(status, out var parsed))
        {
            await commands.ChangeStatusAsync(id, parsed, ct);
        }
        return Redirect($"/workspace/tickets/{id}");
    }
}
