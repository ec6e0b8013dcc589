using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Otklik.Core.Policy;

namespace Otklik.Core.Appeals;

/// <summary>Fills the policy's texts for one language; unknown placeholders stay visible rather than vanish.</summary>
public sealed class MessageRenderer(GatePolicy policy, string language, TimeZoneInfo timeZone)
{
    private readonly LanguageTexts _texts = policy.Texts.GetValueOrDefault(language) ?? policy.Texts["ru"];

    public string Language { get; } = policy.Texts.ContainsKey(language) ? language : "ru";

    public string Reason(DecisionReason reason, Decision decision) =>
        Fill(_texts.Reasons.GetValueOrDefault(WireName.Of(reason.Code)) ?? WireName.Of(reason.Code), decision, reason.Detail, null);

    public string Remediation(DecisionRemediation item, Decision decision) =>
        Fill(_texts.Remediation.GetValueOrDefault(WireName.Of(item.Action)) ?? WireName.Of(item.Action), decision, null, item);

    /// <summary>Alternatives' texts kept before the lot is dropped (a policy has a handful; old decisions name a few more).</summary>
    private const int AlternativesKept = 1024;

    // Every answer lists the same few alternatives (the hotline, the bots, the portal, by the policy's texts): each
    // is rendered once, not twice replaced per answer.
    private static readonly ConcurrentDictionary<(string Template, string Address, string Hours), string> s_alternatives = new();

    public string Alternative(DecisionAlternative alt)
    {
        var template = _texts.Alternatives.GetValueOrDefault(WireName.Of(alt.Channel)) ?? "{address}";
        var key = (template, alt.Address, alt.Hours);
        if (s_alternatives.TryGetValue(key, out var text))
        {
            return text;
        }
        text = template.Replace("{address}", alt.Address, StringComparison.Ordinal).Replace("{hours}", alt.Hours, StringComparison.Ordinal);
        if (s_alternatives.Count >= AlternativesKept)
        {
            s_alternatives.Clear(); // a misses-only path: many distinct addresses would be a policy churning, not answers
        }
        return s_alternatives.GetOrAdd(key, text);
    }

    // One pass over the template: only the placeholders it holds are worked out (dates are converted and
    // formatted only when shown), and what is put in is not searched again for placeholders.
    private string Fill(string template, Decision decision, string? detail, DecisionRemediation? item)
    {
        var open = template.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return template;
        }
        var sb = new StringBuilder(template.Length + 32);
        var done = 0;
        while (open >= 0)
        {
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }
            open = template.LastIndexOf('{', close - 1, close - open); // "{{due}": the placeholder is the innermost
            var value = Value(template.AsSpan(open + 1, close - open - 1), decision, detail, item);
            if (value is not null)
            {
                sb.Append(template, done, open - done).Append(value);
                done = close + 1;
            }
            open = template.IndexOf('{', close + 1);
        }
        return sb.Append(template, done, template.Length - done).ToString();
    }

    /// <summary>A placeholder's text, or null for one this renderer does not know (it stays as written).</summary>
    private string? Value(ReadOnlySpan<char> name, Decision decision, string? detail, DecisionRemediation? item) => name switch
    {
        "detail" => detail ?? "",
        "retry_at" => Format(item?.At ?? decision.RetryAt),
        "eta" => Format(decision.Eta),
        "ticket" => item?.Tickets is { Count: > 0 } t ? string.Join(", ", t.Select(x => x.Number)) : decision.Ticket?.Number ?? "",
        "orders" => item?.Orders is { Count: > 0 } o ? string.Join(", ", o.Select(x => x.Number)) : "",
        "field" => item?.Field is { } f ? FieldName(f) : "",
        "address" => item?.Address ?? "",
        "channel" => item?.Channel is { } c ? WireName.Of(c) : "",
        "due" => Format(decision.FirstResponseDue),
        _ => null,
    };

    private string FieldName(string field) => _texts.Reasons.GetValueOrDefault("field_" + field) ?? field;

    private string Format(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, timeZone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture) : "";
}
