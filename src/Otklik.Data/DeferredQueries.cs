using Otklik.Core.Appeals;

namespace Otklik.Data;

/// <summary>
/// The deferred queue: appeals waiting for admission, in the order they are admitted. Its index holds
/// only these appeals (filtered on <c>"AwaitingAdmission"</c>), and a store uses a filtered index only for
/// a query that asks for the same predicate — so every read of the queue goes through here.
/// </summary>
public static class DeferredQueries
{
    /// <summary>The filtered index's name, as the migrations create it.</summary>
    public const string IndexName = "IX_appeals_awaiting_admission";

    public static IQueryable<Appeal> AwaitingAdmission(this IQueryable<Appeal> appeals) =>
        appeals.Where(a => a.AwaitingAdmission);

    /// <summary>Most urgent class first, then first come, first served (ties by id, so the order is total).</summary>
    public static IOrderedQueryable<Appeal> InAdmissionOrder(this IQueryable<Appeal> appeals) =>
        appeals.AwaitingAdmission().OrderBy(a => a.Priority).ThenBy(a => a.ReceivedAt).ThenBy(a => a.AppealId);
}
