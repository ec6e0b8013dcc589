using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Appeals;
using Otklik.Application.Documents;
using Otklik.Application.Portal;
using Otklik.Application.Tickets;
using Otklik.Core.Appeals;
using Otklik.Core.Requesters;
using Otklik.Server.Contracts;
using Otklik.Server.Endpoints;

namespace Otklik.Server.Ui.Portal;

/// <summary>The customer's view of a ticket: the public conversation, the due time, a way to add to it, and the claim documents once offered.</summary>
public sealed class TicketModel(TicketQueries tickets, TicketCommands commands, ClaimDocumentBuilder documents, Views views) : PageModel
{
    public TicketView? Ticket { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var ticket = await OwnedAsync(id, ct);
        if (ticket is null)
        {
            return NotFound();
        }
        Ticket = views.Ticket(ticket, withMessages: true);
        return Page();
    }

    public async Task<IActionResult> OnGetDocumentAsync(string id, string kind, CancellationToken ct)
    {
        var ticket = await OwnedAsync(id, ct);
        if (ticket?.ClaimOfferedAt is null)
        {
            return NotFound();
        }
        var document = await documents.BuildAsync(id, kind == "claim" ? DocumentKind.Claim : DocumentKind.RegulatorComplaint, ct);
        return File(DocumentRenderer.Pdf(document!), "application/pdf", document!.FileName + ".pdf");
    }

    /// <summary>Writing more continues this conversation: the message lands on this ticket.</summary>
    public async Task<IActionResult> OnPostAsync(string id, string? text, CancellationToken ct)
    {
        var ticket = await OwnedAsync(id, ct);
        if (ticket is null)
        {
            return NotFound();
        }
        if (!string.IsNullOrWhiteSpace(text) && text.Length <= AppealRequest.MaxTextLength)
        {
            await commands.AddCustomerReplyAsync(id, "account:" + ticket.AccountId, Channel.Web, text.Trim(), ct);
        }
        return Redirect($"/portal/tickets/{id}");
    }

    private async Task<Core.Tickets.Ticket?> OwnedAsync(string id, CancellationToken ct)
    {
        var ticket = await tickets.GetAsync(id, ct);
        return ticket is not null && ticket.AccountId == PortalUser.AccountId(User) ? ticket : null;
    }
}
