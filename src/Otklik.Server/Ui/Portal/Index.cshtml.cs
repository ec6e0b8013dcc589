using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Portal;
using Otklik.Core.Orders;
using Otklik.Server.Endpoints;

namespace Otklik.Server.Ui.Portal;

public sealed class IndexModel(CustomerPortal portal, Views views) : PageModel
{
    public IReadOnlyList<Order> Orders { get; private set; } = [];
    public string? Name { get; private set; }
    public Views Views => views;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var accountId = PortalUser.AccountId(User);
        Name = (await portal.AccountAsync(accountId, ct))?.Name;
        Orders = await portal.OrdersAsync(accountId, ct);
    }
}
