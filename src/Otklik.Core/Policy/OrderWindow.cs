using Otklik.Core.Orders;

namespace Otklik.Core.Policy;

/// <summary>Which orders a problem type accepts (gate rule 8).</summary>
public sealed record OrderWindow
{
    /// <summary>Order statuses the problem type applies to; empty means any.</summary>
    public IReadOnlyList<OrderStatus> Statuses { get; init; } = [];

    /// <summary>For delivered orders: at most this many days since delivery.</summary>
    public int? DeliveredWithinDays { get; init; }

    /// <summary>For delivered orders: at most this many months since delivery (e.g. the 2-year defect period).</summary>
    public int? DeliveredWithinMonths { get; init; }

    /// <summary>When the seller gave no written return rules, the window is this many months instead (art. 26.1: 3).</summary>
    public int? WithoutReturnRulesMonths { get; init; }

    public string Describe() =>
        (Statuses.Count == 0 ? "any" : string.Join('|', Statuses).ToLowerInvariant())
        + (DeliveredWithinDays is { } d ? $"; delivered ≤ {d} days" : "")
        + (DeliveredWithinMonths is { } m ? $"; delivered ≤ {m} months" : "")
        + (WithoutReturnRulesMonths is { } r ? $"; {r} months without written return rules" : "");

    /// <summary>Whether the order fits, judged on the local dates of delivery and of the appeal.</summary>
    public bool Admits(Order order, DateOnly deliveredLocal, DateOnly appealLocal)
    {
        if (Statuses.Count > 0 && !Statuses.Contains(order.Status))
        {
            return false;
        }
        if (order.Status != OrderStatus.Delivered || order.DeliveredAt is null)
        {
            return true;
        }
        if (!order.ReturnRulesGiven && WithoutReturnRulesMonths is { } rm)
        {
            return appealLocal <= deliveredLocal.AddMonths(rm);
        }
        if (DeliveredWithinDays is { } days && appealLocal > deliveredLocal.AddDays(days))
        {
            return false;
        }
        if (DeliveredWithinMonths is { } months && appealLocal > deliveredLocal.AddMonths(months))
        {
            return false;
        }
        return true;
    }
}
