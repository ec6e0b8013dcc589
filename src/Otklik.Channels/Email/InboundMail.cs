using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Text;

namespace Otklik.Channels.Email;

/// <summary>What the desk reads from one inbound mail: who, which thread, the text, the files — and whether it may open a ticket at all.</summary>
public sealed partial record InboundMail(
    string MessageId,
    string From,
    string? FromName,
    string Subject,
    string Body,
    string Text,
    IReadOnlyList<string> ThreadIds,
    string? TicketNumber,
    bool SenderAuthenticated,
    string? IgnoredBecause,
    IReadOnlyList<InboundMail.File> Attachments)
{
    public const int MaxTextLength = 4000;

    public sealed record File(string Name, string ContentType, byte[] Bytes);

    public static InboundMail Read(MimeMessage message, EmailOptions options)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        var address = from?.Address?.Trim().ToLowerInvariant() ?? "";
        var subject = Clean(message.Subject ?? "", 300);
        var threadIds = new List<string>();
        if (message.InReplyTo is { Length: > 0 } inReplyTo)
        {
            threadIds.Add(inReplyTo);
        }
        threadIds.AddRange(message.References.Where(r => !threadIds.Contains(r)));
        var body = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText(html) : "");
        var text = Clean(StripQuoted(body), MaxTextLength);
        return new InboundMail(
            MessageIdOf(message),
            address,
            from?.Name is { Length: > 0 } name ? Clean(name, 200) : null,
            subject,
            text,
            Clean(subject.Length > 0 ? subject + "\n" + text : text, MaxTextLength),
            [.. threadIds.Where(i => i.Length <= Data.MailRecord.MaxMessageIdLength).Take(50)],
            TicketNumberRegex().Match(subject) is { Success: true } m ? m.Value : null,
            IsAuthenticated(message, address, options.AuthServId),
            WhyIgnored(message, address, options),
            [.. Files(message)]);
    }

    /// <summary>
    /// Auto-replies, bounces, lists and our own mail coming back (RFC 3834, RFC 2369/2919, RFC 3464):
    /// answering them would start a loop, so they never open or touch a ticket.
    /// </summary>
    public static string? WhyIgnored(MimeMessage message, string from, EmailOptions options)
    {
        var h = message.Headers;
        if (h[HeaderId.AutoSubmitted] is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return "auto-submitted";
        }
        if (h["X-Autoreply"] is not null || h["X-Autorespond"] is not null || h["X-Autoreply-From"] is not null)
        {
            return "auto-reply";
        }
        if (h[HeaderId.Precedence] is { } precedence && precedence.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply")
        {
            return "bulk";
        }
        if (h[HeaderId.ListId] is not null || h[HeaderId.ListUnsubscribe] is not null)
        {
            return "mailing list";
        }
        if (message.Body is MultipartReport || (h[HeaderId.ReturnPath] is { } returnPath && returnPath.Trim() == "<>"))
        {
            return "delivery report";
        }
        if (from.Length == 0 || from.StartsWith("mailer-daemon@", StringComparison.Ordinal) || from.StartsWith("postmaster@", StringComparison.Ordinal))
        {
            return "no sender to answer";
        }
        if (h[EmailSender.TicketHeader] is not null || string.Equals(from, options.Address, StringComparison.OrdinalIgnoreCase)
            || (message.MessageId is { } id && id.EndsWith("@" + options.Domain, StringComparison.OrdinalIgnoreCase) && id.StartsWith("otklik.", StringComparison.Ordinal)))
        {
            return "our own message";
        }
        return null;
    }

    /// <summary>
    /// True when the desk's own mail exchanger (its authserv-id) vouches for the sender's domain: DMARC
    /// pass for the From domain, or a DKIM signature of that domain, or SPF for a sender of that domain.
    /// </summary>
    public static bool IsAuthenticated(MimeMessage message, string from, string? authServId)
    {
        if (string.IsNullOrEmpty(authServId) || from.IndexOf('@') is not (> 0 and var at))
        {
            return false;
        }
        var domain = from[(at + 1)..];
        foreach (var header in message.Headers.Where(x => x.Id == HeaderId.AuthenticationResults))
        {
            if (!AuthenticationResults.TryParse(header.RawValue, out var results)
                || !string.Equals(results.AuthenticationServiceIdentifier, authServId, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (var r in results.Results.Where(r => string.Equals(r.Result, "pass", StringComparison.OrdinalIgnoreCase)))
            {
                var method = r.Method.ToLowerInvariant();
                foreach (var p in r.Properties)
                {
                    var value = p.Value.Trim().ToLowerInvariant();
                    var matches = (method, p.PropertyType.ToLowerInvariant(), p.Property.ToLowerInvariant()) switch
                    {
                        ("dmarc", "header", "from") => value == domain,
                        ("dkim", "header", "d") => value == domain,
                        ("dkim", "header", "i") => value.EndsWith("@" + domain, StringComparison.Ordinal),
                        ("spf", "smtp", "mailfrom") => value == domain || value.EndsWith("@" + domain, StringComparison.Ordinal),
                        _ => false,
                    };
                    if (matches)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /// <summary>The Message-ID, or for mail without one a stable stand-in made from its content (so a retry is still the same mail).</summary>
    private static string MessageIdOf(MimeMessage message)
    {
        if (message.MessageId is { Length: > 0 and <= Data.MailRecord.MaxMessageIdLength } id)
        {
            return id;
        }
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return "sha256." + Convert.ToHexStringLower(SHA256.HashData(stream.ToArray())) + "@no-message-id";
    }

    private static IEnumerable<File> Files(MimeMessage message)
    {
        foreach (var part in message.Attachments.OfType<MimePart>().Take(20))
        {
            using var stream = new MemoryStream();
            part.Content?.DecodeTo(stream);
            yield return new File(part.FileName ?? "attachment", part.ContentType.MimeType, stream.ToArray());
        }
    }

    private static string HtmlText(string html)
    {
        // Only the text between tags: nothing in a customer's HTML is kept as markup.
        var sb = new StringBuilder();
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var skip = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlDataToken data when skip == 0:
                    sb.Append(data.Data);
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    skip += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skip = Math.Max(skip, 0);
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.TR or HtmlTagId.LI:
                    sb.Append('\n');
                    break;
            }
        }
        return System.Net.WebUtility.HtmlDecode(sb.ToString());
    }

    /// <summary>Drops the quoted history a mail client appends, so the ticket shows what the customer wrote now.</summary>
    public static string StripQuoted(string body)
    {
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = new List<string>(lines.Length);
        foreach (var line in lines)
        {
            var t = line.Trim();
            if (t.StartsWith("-----Original Message-----", StringComparison.OrdinalIgnoreCase) || t.StartsWith("-------- Пересылаемое", StringComparison.Ordinal)
                || QuoteHeaderRegex().IsMatch(t))
            {
                break;
            }
            if (!t.StartsWith('>'))
            {
                kept.Add(line.TrimEnd());
            }
        }
        return string.Join('\n', kept).Trim();
    }

    private static string Clean(string s, int max)
    {
        var sb = new StringBuilder(Math.Min(s.Length, max));
        for (var i = 0; i < s.Length && sb.Length < max; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
            }
            else if (c == '\n' || c == '\t' || (!char.IsControl(c) && !char.IsSurrogate(c)))
            {
                sb.Append(c);
            }
        }
        return sb.ToString().Trim();
    }

    [GeneratedRegex(@"\bT-\d{6,12}\b", RegexOptions.CultureInvariant)]
    private static partial Regex TicketNumberRegex();

    [GeneratedRegex(@"^(On .{1,200} wrote:|.{1,200}(писал|написал)\(?а?\)?:)$", RegexOptions.CultureInvariant)]
    private static partial Regex QuoteHeaderRegex();
}
