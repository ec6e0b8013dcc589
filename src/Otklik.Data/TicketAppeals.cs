using Otklik.Core.Appeals;

namespace Otklik.Data;

/// <summary>
/// The appeals behind a ticket: those decided onto it and those admitted to it from the deferred queue.
/// Both columns have an index of their own (filtered on IS NOT NULL, which an equality implies), so the
/// OR of the two is answered from both indexes rather than by reading every appeal.
/// </summary>
public static class TicketAppeals
{
    public static IQueryable<Appeal> OfTicket(this IQueryable<Appeal> appeals, string ticketId) =>
        appeals.Where(a => a.TicketId == ticketId || a.AdmittedTicketId == ticketId);
}
