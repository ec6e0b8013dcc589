using Otklik.Core.Appeals;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data;

/// <summary>
/// An account's appeals and tickets. Every row with an account id has the requester key
/// "account:" + id (the intake resolves the account before it keys anything), so the filter goes
/// through the requester-key indexes; there is no index on the account id itself, which would cost a
/// random page write per appeal.
/// </summary>
public static class AccountQueries
{
    public static IQueryable<Appeal> OfAccount(this IQueryable<Appeal> appeals, string accountId)
    {
        var key = RequesterAddress.ForAccount(accountId).Key;
        return appeals.Where(a => a.RequesterKey == key && a.AccountId == accountId);
    }

    public static IQueryable<Ticket> OfAccount(this IQueryable<Ticket> tickets, string accountId)
    {
        var key = RequesterAddress.ForAccount(accountId).Key;
        return tickets.Where(t => t.RequesterKey == key && t.AccountId == accountId);
    }
}
