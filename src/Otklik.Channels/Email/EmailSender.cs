using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Otklik.Application.Channels;
using Otklik.Core.Appeals;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Channels.Email;

/// <summary>
/// Sends the desk's mail by SMTP in the customer's thread: In-Reply-To and References point at the
/// customer's mail, the subject carries the ticket number, and every sent Message-ID is recorded so
/// the customer's answer threads back to the ticket.
/// </summary>
public sealed class EmailSender(OtklikDbContext db, IOptions<EmailOptions> options, TimeProvider time) : IChannelSender
{
    /// <summary>Marks the desk's own mail, so a copy that comes back is never taken for a customer's.</summary>
    public const string TicketHeader = "X-Otklik-Ticket";

    private const int MaxReferences = 20;

    public Channel Channel => Channel.Email;

    /// <summary>An agent's reply or a ladder notice on an e-mail ticket.</summary>
    public async Task<bool> DeliverAsync(Ticket ticket, string text, CancellationToken ct)
    {
        var to = ticket.RequesterKey.StartsWith("email:", StringComparison.Ordinal) ? ticket.RequesterKey[6..]
            : ticket.AccountId is { } accountId ? await db.Requesters.AsNoTracking().Where(r => r.AccountId == accountId).Select(r => r.Email).FirstOrDefaultAsync(ct)
            : null;
        if (string.IsNullOrEmpty(to))
        {
            return false;
        }
        var thread = await db.Mail.AsNoTracking().Where(m => m.TicketId == ticket.TicketId).OrderBy(m => m.At).ToListAsync(ct);
        var firstSubject = thread.FirstOrDefault(m => !m.Outbound)?.Subject;
        var subject = string.IsNullOrWhiteSpace(firstSubject) ? $"Обращение {ticket.Number}" : ReplySubject(firstSubject, ticket.Number);
        var lastInbound = thread.LastOrDefault(m => !m.Outbound)?.MessageId;
        var references = thread.Select(m => m.MessageId).TakeLast(MaxReferences).ToList();
        var messageId = NewMessageId(ticket.TicketId);
        await SendAsync(Compose(to, subject, text, messageId, lastInbound, references, ticket.Number, automatic: false), ct);
        // Saved with the outbox's own change, right after the send.
        db.Mail.Add(new MailRecord { MessageId = messageId, Outbound = true, TicketId = ticket.TicketId, Address = to, Subject = subject, At = time.GetUtcNow() });
        return true;
    }

    public string NewMessageId(string? ticketId) =>
        $"otklik.{ticketId ?? "decision"}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}@{options.Value.Domain}";

    public static string ReplySubject(string subject, string? ticketNumber)
    {
        var s = subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : "Re: " + subject;
        return ticketNumber is null || s.Contains(ticketNumber, StringComparison.Ordinal) ? s : $"{s} [{ticketNumber}]";
    }

    public MimeMessage Compose(string to, string subject, string text, string messageId, string? inReplyTo, IReadOnlyList<string> references, string? ticketNumber, bool automatic)
    {
        var o = options.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(o.DisplayName, o.Address ?? throw new InvalidOperationException("Channels:Email:Address is not set.")));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Date = time.GetUtcNow();
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
        }
        foreach (var r in references)
        {
            message.References.Add(r);
        }
        if (ticketNumber is not null)
        {
            message.Headers.Add(TicketHeader, ticketNumber);
        }
        if (automatic)
        {
            // RFC 3834: a machine answer; well-behaved auto-responders will not answer it back.
            message.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        }
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient();
        client.Timeout = 30_000;
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Channels:Email:Smtp:Host is not set."), smtp.Port, Security(smtp.Security), ct);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }

    public static SecureSocketOptions Security(string value) => value.ToLowerInvariant() switch
    {
        "ssl" => SecureSocketOptions.SslOnConnect,
        "starttls" => SecureSocketOptions.StartTls,
        "none" => SecureSocketOptions.None,
        _ => throw new InvalidOperationException("Mail server security must be ssl, starttls or none."),
    };
}
