using System.Globalization;
using Otklik.Application.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Core.Tickets;

namespace Otklik.Application.Sla;

/// <summary>What the customer is told when the escalation ladder moves (texts from the policy).</summary>
public sealed class LadderNotices(PolicyProvider policies, SlaClock clock)
{
    public string FirstResponseBreached(Ticket ticket, DateTimeOffset newDue) => Fill("first_response_breached", "{ticket}: {due}", ticket, newDue);

    /// <summary>The escalation routes: the hotline, the claim letter, the regulator complaint and the rest.</summary>
    public string EscalationRoutes(Ticket ticket) => Fill("systematically_unanswered", "{claim} {complaint}", ticket, null);

    private string Fill(string key, string fallback, Ticket ticket, DateTimeOffset? due)
    {
        var policy = policies.Current;
        var hotline = ticket.Role == RequesterRole.Seller ? policy.Profile.SellerHotline : policy.Profile.BuyerHotline;
        return (policy.Texts["ru"].Notices.GetValueOrDefault(key) ?? fallback)
            .Replace("{ticket}", ticket.Number, StringComparison.Ordinal)
            .Replace("{hotline}", hotline, StringComparison.Ordinal)
            .Replace("{due}", due is { } d ? clock.ToLocal(d).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture) : "", StringComparison.Ordinal)
            .Replace("{claim}", $"/api/v1/tickets/{ticket.TicketId}/documents/claim", StringComparison.Ordinal)
            .Replace("{complaint}", $"/api/v1/tickets/{ticket.TicketId}/documents/regulator-complaint", StringComparison.Ordinal);
    }
}
