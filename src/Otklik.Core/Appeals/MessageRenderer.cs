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

    public string Alternative(DecisionAlternative alt) =>
        (_texts.Alternatives.GetValueOrDefault(WireName.Of(alt.Channel)) ?? "{address}").Replace("{address}", alt.Address, StringComparison.Ordinal).Replace("{hours}", alt.Hours, StringComparison.Ordinal);

    private string Fill(string template, Decision decision, string? detail, DecisionRemediation? item)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }
        var sb = new StringBuilder(template);
        sb.Replace("{detail}", detail ?? "");
        sb.Replace("{retry_at}", Format(item?.At ?? decision.RetryAt));
        sb.Replace("{eta}", Format(decision.Eta));
        sb.Replace("{ticket}", item?.Tickets is { Count: > 0 } t ? string.Join(", ", t.Select(x => x.Number)) : decision.Ticket?.Number ?? "");
        sb.Replace("{orders}", item?.Orders is { Count: > 0 } o ? string.Join(", ", o.Select(x => x.Number)) : "");
        sb.Replace("{field}", item?.Field is { } f ? FieldName(f) : "");
        sb.Replace("{address}", item?.Address ?? "");
        sb.Replace("{channel}", item?.Channel is { } c ? WireName.Of(c) : "");
        sb.Replace("{due}", Format(decision.FirstResponseDue));
        return sb.ToString();
    }

    private string FieldName(string field) => _texts.Reasons.GetValueOrDefault("field_" + field) ?? field;

    private string Format(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, timeZone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture) : "";
}
