using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Tickets;
using Otklik.Core;
using Otklik.Core.Tickets;
using Otklik.Server.Contracts;
using Otklik.Server.Endpoints;

namespace Otklik.Server.Ui.Workspace;

/// <summary>Queues sorted by due time, with SLA and legal badges; search by ticket, order or phone.</summary>
public sealed class IndexModel(TicketQueries tickets, Views views) : PageModel
{
    public string Queue { get; private set; } = "buyers";
    public string? Search { get; private set; }
    public IReadOnlyList<TicketView> Tickets { get; private set; } = [];

    public async Task OnGetAsync(string? queue, string? q, CancellationToken ct)
    {
        Queue = WireName.TryParse<Queue>(queue, out _) ? queue! : "buyers";
        Search = q;
        WireName.TryParse<Queue>(Queue, out var parsed);
        var items = await tickets.QueueAsync(parsed, q, 200, ct);
        Tickets = [.. items.Select(t => views.Ticket(t, withMessages: false))];
    }
}
