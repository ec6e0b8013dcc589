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
public sealed class TicketModel(TicketQueries tickets, TicketCommands commands, CustomerPortal portal, OtklikDbContext db, Views views, Application.Policy.PolicyProvider policies) : PageModel
{
    public TicketView? Ticket { get; private set; }
    public Requester? Customer { get; private set; }
    public IReadOnlyList<Order> Orders { get; private set; } = [];
    public IReadOnlyList<Ticket> Earlier { get; private set; } = [];
    public IReadOnlyList<TraceView> Traces { get; private set; } = [];
    public IReadOnlyList<Otklik.Core.Policy.Macro> Macros { get; private set; } = [];
    public IReadOnlyList<string> Agents { get; private set; } = [];
    public string? Error { get; private set; }

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
        // One query for the ticket's appeals (a trace needs the appeal and its decision, nothing else).
        var ofTicket = await db.Appeals.AsNoTracking().OfTicket(id).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        Traces = [.. ofTicket.Select(a => views.Trace(a, AppealQueries.DecisionOf(a)))];
        Agents = await db.Agents.AsNoTracking().OrderBy(a => a.Name).Select(a => a.Name).ToListAsync(ct);
        // Macros come filled for this ticket, so inserting one is a copy, not a template the agent edits by hand.
        var name = Customer?.Name ?? "";
        var due = Ticket.Sla.FirstResponseDue.ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Macros = [.. policies.Current.Macros.Select(m => m with
        {
            Text = m.Text.Replace("{customer_name}", name, StringComparison.Ordinal).Replace("{ticket}", ticket.Number, StringComparison.Ordinal)
                .Replace("{order}", ticket.OrderNumber ?? "", StringComparison.Ordinal).Replace("{due}", due, StringComparison.Ordinal),
        })];
        return Page();
    }

    public async Task<IActionResult> OnPostAssignAsync(string id, string? queue, string? assignee, CancellationToken ct)
    {
        if (WireName.TryParse<Queue>(queue, out var parsed) && assignee is not { Length: > 64 })
        {
            await commands.ReassignAsync(id, parsed, string.IsNullOrWhiteSpace(assignee) ? null : assignee, User.Identity!.Name!, ct);
        }
        return Redirect($"/workspace/tickets/{id}");
    }

    public async Task<IActionResult> OnPostMergeAsync(string id, string? into, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(into) && into.Length <= 64)
        {
            var (result, target) = await commands.MergeAsync(id, into.Trim(), User.Identity!.Name!, ct);
            if (result == TicketCommands.MergeResult.Done)
            {
                return Redirect($"/workspace/tickets/{target!.TicketId}");
            }
            Error = result.ToString();
        }
        return await OnGetAsync(id, ct);
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
