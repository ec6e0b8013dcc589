using Otklik.Core.Appeals;
using Otklik.Core.Requesters;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 9: what the customer typed about themselves must match the account. The verdict names the
/// fields (phone, email, name), never the account's values.
/// </summary>
public sealed class DataMismatchRule : IGateRule
{
    public string Name => "data_mismatch";

    public RuleVerdict Evaluate(GateContext context)
    {
        var claimed = context.Request.Claimed;
        if (context.Account is not { } account || ReferenceEquals(claimed, ClaimedData.None) || (claimed.Name is null && claimed.Phone is null && claimed.Email is null))
        {
            return RuleVerdict.NotApplicable;
        }
        string? fields = null;
        if (claimed.Phone is { Length: > 0 } phone && account.Phone is { Length: > 0 } accountPhone
            && PhoneNumber.Normalize(phone) != accountPhone
            && !(context.Identity is { Kind: IdentityKind.Phone } id && id.Value == PhoneNumber.Normalize(phone)))
        {
            fields = Append(fields, "phone");
        }
        if (claimed.Email is { Length: > 0 } email && account.Email is { Length: > 0 } accountEmail
            && !string.Equals(email.Trim(), accountEmail, StringComparison.OrdinalIgnoreCase))
        {
            fields = Append(fields, "email");
        }
        if (claimed.Name is { Length: > 0 } name && account.Name is { Length: > 0 } accountName && !SameName(name, accountName))
        {
            fields = Append(fields, "name");
        }
        return fields is null ? RuleVerdict.Pass : RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.DataMismatch, detail: fields);
    }

    private static string Append(string? list, string field) => list is null ? field : list + "," + field;

    /// <summary>Names match regardless of case, ё/е, extra spaces and word order ("Петрова Анна").</summary>
    internal static bool SameName(string a, string b)
    {
        static string[] Words(string s) =>
            [.. s.ToLowerInvariant().Replace('ё', 'е').Split([' ', '\t', '-', '.', ','], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
        var wa = Words(a);
        var wb = Words(b);
        if (wa.SequenceEqual(wb))
        {
            return true;
        }
        // A customer may type only the first name and surname of a full name with patronymic.
        return wa.Length >= 2 && wa.All(w => wb.Contains(w));
    }
}
