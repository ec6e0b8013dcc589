using System.Text;

namespace Otklik.Core.Requesters;

/// <summary>Russian phone numbers as customers type them: +7 916…, 8 (916) …, 916…</summary>
public static class PhoneNumber
{
    public static string Normalize(string raw)
    {
        var digits = new StringBuilder(16);
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }
        var d = digits.ToString();
        if (d.Length == 11 && (d[0] == '8' || d[0] == '7'))
        {
            return "+7" + d[1..];
        }
        if (d.Length == 10 && d[0] == '9')
        {
            return "+7" + d;
        }
        return d.Length == 0 ? raw.Trim() : "+" + d;
    }

    /// <summary>Only the last two digits stay readable, for logs and traces.</summary>
    public static string Mask(string phone) =>
        phone.Length <= 4 ? "***" : string.Concat(phone.AsSpan(0, 2), new string('*', phone.Length - 4), phone.AsSpan(phone.Length - 2));
}
