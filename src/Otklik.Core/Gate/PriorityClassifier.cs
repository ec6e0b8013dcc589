using Otklik.Core.Tickets;

namespace Otklik.Core.Gate;

/// <summary>Priority classes of gate.md: P1 legal/money/safety, P2 verified order problems, P3 other verified, P4 the rest.</summary>
public static class PriorityClassifier
{
    public static PriorityClass Classify(GateContext context)
    {
        var type = context.ProblemType;
        if (IsP1BySubject(context.Policy, type, context.Request.Demand))
        {
            return PriorityClass.P1;
        }
        if (context.IsGuest || !context.IdentityVerified || IsNewWithoutOrders(context))
        {
            return PriorityClass.P4;
        }
        return type.Priority;
    }

    /// <summary>
    /// P1 by what the appeal is about alone — a P1 problem type, or an urgent demand under a type with a
    /// legal basis — knowable before the requester's context is read (overload control and the order
    /// of the store's writer use it).
    /// </summary>
    public static bool IsP1BySubject(Policy.GatePolicy policy, Policy.ProblemTypeDefinition type, Appeals.Demand? demand) =>
        type.Priority == PriorityClass.P1 || (demand is { } d && type.LegalBasis is not null && policy.UrgentDemands.Contains(d));

    public static bool IsNewWithoutOrders(GateContext context) =>
        context.Account is { } account
        && context.Now - account.CreatedAt < TimeSpan.FromDays(context.Thresholds.NewAccountDays)
        && context.OrderCount == 0;
}
