using Otklik.Core.Tickets;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Shared by rules 11 and 12: a ticket is about the same thing when it has the same order and
/// problem type, or its text is a near-duplicate of the appeal's. An appeal that names an order but
/// no problem type (<c>other</c>: an e-mail, a free-text message) is about that order's ticket: the
/// customer is writing again about the same purchase, not opening a second case.
/// </summary>
internal static class TicketMatcher
{
    public const string UntypedProblem = "other";

    public static TicketFacts? Find(GateContext context, Func<TicketFacts, bool> filter)
    {
        TicketFacts? best = null;
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
            else if (context.OrderNumber is not null && context.ProblemType.Code == UntypedProblem
                && string.Equals(ticket.OrderNumber, context.OrderNumber, StringComparison.Ordinal))
            {
                score = 1.5;
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
