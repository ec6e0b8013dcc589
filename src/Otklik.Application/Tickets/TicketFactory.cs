using Otklik.Core.Appeals;
using Otklik.Core.Policy;
using Otklik.Core.Sla;
using Otklik.Core.Tickets;

namespace Otklik.Application.Tickets;

/// <summary>Opens tickets with their queue and clocks: first response and resolution in business days, the legal deadline in calendar days.</summary>
public sealed class TicketFactory(SlaClock clock, TimeProvider time)
{
    public sealed record Opening(
        string? AccountId, string RequesterKey, Core.Requesters.RequesterRole Role, string? OrderNumber, string ProblemType,
        Demand? Demand, Channel Channel, PriorityClass Priority, DateTimeOffset ReceivedAt, string Text, string TextStems, string? AppealId, string? FollowUpOf,
        decimal? PriceRub);

    public Ticket Open(Opening o, GatePolicy policy)
    {
        var type = policy.FindProblemType(o.ProblemType) ?? policy.FindProblemType("other")!;
        var now = time.GetUtcNow();
        DateTimeOffset? legal = null;
        LegalTerm? term = null;
        if (o.Demand is { } demand && type.LegalBasis is not null && policy.FindLegalTerm(demand, type.Code) is { } found)
        {
            term = found;
            legal = clock.LegalDeadline(o.ReceivedAt, found.Days);
        }
        var firstResponseDue = clock.DueAfterBusinessDays(o.ReceivedAt, type.FirstResponseDays);
        var ticket = new Ticket
        {
            TicketId = Ids.New("t", now),
            AccountId = o.AccountId,
            RequesterKey = o.RequesterKey,
            Role = o.Role,
            OrderNumber = o.OrderNumber,
            ProblemType = type.Code,
            Demand = o.Demand,
            Channel = o.Channel,
            Priority = o.Priority,
            Queue = o.Role == Core.Requesters.RequesterRole.Seller ? Queue.Sellers : Queue.Buyers,
            CreatedAt = now,
            UpdatedAt = now,
            FollowUpOf = o.FollowUpOf,
            TextStems = Truncate(o.TextStems, Ticket.MaxStemsLength),
            LegalArticle = term?.Article,
            PenaltyPercentPerDay = term?.PenaltyPercentPerDay ?? 0,
            PriceRub = o.PriceRub,
            ResolutionDue = clock.DueAfterBusinessDays(o.ReceivedAt, policy.ResolutionDaysFor(type, o.Priority)),
            LegalDeadline = legal,
        };
        ticket.SetFirstResponseDue(o.ReceivedAt, firstResponseDue);
        ticket.AddCustomerMessage(o.Channel, o.Text, o.ReceivedAt > now ? now : o.ReceivedAt, o.AppealId);
        ticket.UpdatedAt = now;
        return ticket;
    }

    public DateTimeOffset ReopenDue(DateTimeOffset at, GatePolicy policy) => clock.DueAfterBusinessDays(at, policy.ReopenFirstResponseDays);

    private static string Truncate(string s, int max)
    {
        if (s.Length <= max)
        {
            return s;
        }
        var cut = s.LastIndexOf(' ', max - 1);
        return s[..(cut > 0 ? cut : max)];
    }
}
