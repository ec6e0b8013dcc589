using Otklik.Core.Tickets;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Shared by rules 11 and 12: a ticket is about the same thing when it has the same order and
/// problem type, or its text is a near-duplicate of the appeal's.
/// </summary>
internal static class TicketMatcher
{
    public static Ticket? Find(GateContext context, Func<Ticket, bool> filter)
    {
        Ticket? best = null;
        var bestScore = 0.0;
        var threshold = context.Thresholds.NearDuplicateSimilarity;
        foreach (var ticket in context.Tickets)
        {
            if (!filter(ticket))
            {
                continue;
            }
            double score;
            if (context.OrderNumber is not null
                && string.Equals(ticket.OrderNumber, context.OrderNumber, StringComparison.Ordinal)
                && string.Equals(ticket.ProblemType, context.ProblemType.Code, StringComparison.Ordinal))
            {
                score = 2; // exact match beats any text similarity
            }
            else
            {
                var similarity = context.Text.SimilarityTo(ticket.TextStems);
                if (similarity < threshold)
                {
                    continue;
                }
                // Near-duplicate text about a different order is a different problem.
                if (context.OrderNumber is not null && ticket.OrderNumber is not null && ticket.OrderNumber != context.OrderNumber)
                {
                    continue;
                }
                score = similarity;
            }
            if (best is null || score > bestScore || (score == bestScore && ticket.UpdatedAt > best.UpdatedAt))
            {
                best = ticket;
                bestScore = score;
            }
        }
        return best;
    }
}
