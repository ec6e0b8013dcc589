using System.Globalization;
using System.Text;
using Otklik.Application.Policy;
using Otklik.Core.Appeals;
using Otklik.Core.Sla;

namespace Otklik.Channels.Abstractions;

/// <summary>A decision as one chat message: the ticket and due time, the reasons, what to do.</summary>
public sealed class DecisionText(PolicyProvider policies, SlaClock clock)
{
    public string Render(Decision decision, string? closingHint = null)
    {
        var renderer = new MessageRenderer(policies.Current, "ru", clock.TimeZone);
        var sb = new StringBuilder();
        if (decision.Ticket is { } ticket)
        {
            sb.Append("Обращение ").Append(ticket.Number).Append(" принято");
            if (decision.FirstResponseDue is { } due)
            {
                sb.Append(", ответим до ").Append(clock.ToLocal(due).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture));
            }
            sb.AppendLine(".");
        }
        foreach (var r in decision.Reasons)
        {
            sb.AppendLine(renderer.Reason(r, decision));
        }
        foreach (var r in decision.Remediation)
        {
            sb.AppendLine("• " + renderer.Remediation(r, decision));
        }
        if (closingHint is not null)
        {
            sb.AppendLine(closingHint);
        }
        return sb.ToString().Trim();
    }
}
