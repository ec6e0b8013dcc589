using Otklik.Core.Tickets;

namespace Otklik.Core.Gate;

/// <summary>Priority classes of gate.md: P1 legal/money/safety, P2 verified order problems, P3 other verified, P4 the rest.</summary>
public static class PriorityClassifier
{
    public static PriorityClass Classify(GateContext context)
    {
        var type = context.ProblemType;
        if (type.Priority == PriorityClass.P1)
        {
            return PriorityClass.P1;
        }
        if (context.Request.Demand is { } demand && type.LegalBasis is not null && context.Policy.UrgentDemands.Contains(demand))
        {
            return PriorityClass.P1;
        }
        if (context.IsGuest || !context.IdentityVerified || IsNewWithoutOrders(context))
        {
            return PriorityClass.P4;
        }
        return type.Priority;
    }

    public static bool IsNewWithoutOrders(GateContext context) =>
        context.Account is { } account
        && context.Now - account.CreatedAt < TimeSpan.FromDays(context.Thresholds.NewAccountDays)
        && context.OrderCount == 0;
}
