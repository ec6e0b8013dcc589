using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Otklik.Application.Appeals;
using Otklik.Application.Portal;
using Otklik.Application.Tickets;
using Otklik.Channels.Abstractions;
using Otklik.Core.Appeals;
using Otklik.Core.Requesters;
using Otklik.Core.Text;
using Otklik.Data;

namespace Otklik.Channels.Email;

/// <summary>
/// One inbound mail, start to end. A reply in a ticket's thread (In-Reply-To/References, or the ticket
/// number in the subject) from that ticket's requester is added to the conversation; any other mail is
/// an appeal through the gate, answered in its thread. Auto-replies, bulk mail and our own mail never
/// open or touch a ticket. The Message-ID makes each mail count once, however often it is read.
/// </summary>
public sealed partial class EmailInbound(
    OtklikDbContext db,
    AppealIntake intake,
    GateContextLoader loader,
    TicketCommands tickets,
    AttachmentStore store,
    EmailSender sender,
    DecisionText decisionText,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<EmailInbound> logger)
{
    public const string ClientName = "email";

    public enum Kind
    {
        Appeal,
        Reply,
        Ignored,
        AlreadyDone,
    }

    public sealed record Result(Kind Kind, string? TicketId, string? AppealId, string? Note);

    public async Task<Result> ProcessAsync(MimeMessage message, CancellationToken ct)
    {
        var mail = InboundMail.Read(message, options.Value);
        if (mail.IgnoredBecause is { } why)
        {
            LogIgnored(mail.MessageId, why);
            return new Result(Kind.Ignored, null, null, why);
        }
        if (await db.Mail.AsNoTracking().AnyAsync(m => m.MessageId == mail.MessageId, ct))
        {
            return new Result(Kind.AlreadyDone, null, null, null);
        }
        var address = RequesterAddress.ForIdentity(IdentityKind.Email, mail.From);
        var who = await loader.ResolveAsync(db, address, ct);
        var files = await SaveFilesAsync(mail, ct);
        if (await ThreadTicketAsync(mail, ct) is { } ticketId && await ReplyAsync(mail, files, ticketId, who.RequesterKey, ct))
        {
            return new Result(Kind.Reply, ticketId, null, null);
        }
        return await AppealAsync(mail, files, address, who, ct);
    }

    /// <summary>The ticket this mail answers: a Message-ID we recorded in its thread, else the number in the subject.</summary>
    private async Task<string?> ThreadTicketAsync(InboundMail mail, CancellationToken ct)
    {
        if (mail.ThreadIds.Count > 0)
        {
            var ids = mail.ThreadIds;
            var byThread = await db.Mail.AsNoTracking().Where(m => ids.Contains(m.MessageId) && m.TicketId != null)
                .OrderByDescending(m => m.At).Select(m => m.TicketId).FirstOrDefaultAsync(ct);
            if (byThread is not null)
            {
                return byThread;
            }
        }
        if (mail.TicketNumber is { } number && long.TryParse(number.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return await db.Tickets.AsNoTracking().Where(t => t.Seq == seq).Select(t => t.TicketId).FirstOrDefaultAsync(ct);
        }
        return null;
    }

    /// <summary>
    /// Adds the mail to its ticket when the sender is that ticket's requester and the ticket is still
    /// open; false otherwise (someone else quoting a ticket number, a closed ticket: a new appeal).
    /// </summary>
    private async Task<bool> ReplyAsync(InboundMail mail, List<AttachmentInfo> files, string ticketId, string requesterKey, CancellationToken ct)
    {
        var text = mail.Body;
        if (files.Count > 0)
        {
            text += "\n" + string.Join('\n', files.Select(f => $"[вложение: {f.Name}, {f.ContentType}, {f.Size / 1024 + 1} КБ]"));
        }
        if (text.Trim().Length == 0)
        {
            text = "(пустое письмо)";
        }
        // Saved by the reply's own SaveChanges: the mail counts as read exactly when the message lands.
        var record = db.Mail.Add(new MailRecord { MessageId = mail.MessageId, TicketId = ticketId, Address = mail.From, Subject = mail.Subject, At = time.GetUtcNow() });
        if (await tickets.AddCustomerReplyAsync(ticketId, requesterKey, Channel.Email, text.Trim(), ct) is null)
        {
            record.State = EntityState.Detached;
            return false;
        }
        return true;
    }

    private async Task<Result> AppealAsync(InboundMail mail, List<AttachmentInfo> files, RequesterAddress address, GateContextLoader.Resolved who, CancellationToken ct)
    {
        var request = new AppealRequest(Channel.Email, address, who.Account?.Role ?? RequesterRole.Buyer, null, "other", null,
            mail.Text.Length == 0 ? "(пустое письмо)" : mail.Text, [.. files], ClaimedData.None, time.GetUtcNow());
        var json = JsonText.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(new { message_id = mail.MessageId, from = mail.From, subject = mail.Subject, text = mail.Text, attachments = files.Count }));
        var hash = Convert.ToHexStringLower(SHA256.HashData(json.Utf8));
        var result = await intake.SubmitAsync(new AppealSubmission(request, ClientName, "msg:" + mail.MessageId, hash, json,
            RoleGiven: who.Account is not null, SenderAuthenticated: mail.SenderAuthenticated), ct);
        if (result.Status == IntakeStatus.Conflict || result.Decision is not { } decision)
        {
            // The same Message-ID with other content: not the mail we answered; keep the first.
            LogConflict(mail.MessageId);
            return new Result(Kind.AlreadyDone, null, result.Appeal?.AppealId, "message id reused");
        }
        var ticketId = decision.Ticket?.TicketId;
        var now = time.GetUtcNow();
        // One answer per mail even when the mail is read again after a failure: its id is made from the mail's.
        var answerId = $"otklik.answer.{IdHash(mail)[..24]}@{options.Value.Domain}";
        if (options.Value.Sends && !await db.Mail.AsNoTracking().AnyAsync(m => m.MessageId == answerId, ct))
        {
            var subject = EmailSender.ReplySubject(mail.Subject.Length > 0 ? mail.Subject : "Обращение", decision.Ticket?.Number);
            var hint = who.Account is null ? "Чтобы мы узнали вас, пишите с адреса, указанного в профиле маркетплейса." : null;
            await sender.SendAsync(sender.Compose(mail.From, subject, decisionText.Render(decision, hint), answerId, mail.MessageId, [mail.MessageId], decision.Ticket?.Number, automatic: true), ct);
            db.Mail.Add(new MailRecord { MessageId = answerId, Outbound = true, TicketId = ticketId, AppealId = result.Appeal!.AppealId, Address = mail.From, Subject = subject, At = now });
        }
        db.Mail.Add(new MailRecord { MessageId = mail.MessageId, TicketId = ticketId, AppealId = result.Appeal!.AppealId, Address = mail.From, Subject = mail.Subject, At = now });
        await db.SaveChangesAsync(ct);
        return new Result(Kind.Appeal, ticketId, result.Appeal.AppealId, null);
    }

    /// <summary>A fixed-length, path- and header-safe name derived from the Message-ID.</summary>
    private static string IdHash(InboundMail mail) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(mail.MessageId)));

    /// <summary>Keeps the photos and PDFs (checked by their bytes, bounded in size and count); anything else is named in the log only.</summary>
    private async Task<List<AttachmentInfo>> SaveFilesAsync(InboundMail mail, CancellationToken ct)
    {
        var kept = new List<AttachmentInfo>();
        var key = "em" + IdHash(mail)[..20];
        foreach (var file in mail.Attachments)
        {
            if (kept.Count >= AttachmentStore.MaxFiles || file.Bytes.Length == 0 || file.Bytes.Length > AttachmentStore.MaxBytes
                || AttachmentStore.Sniff(file.Bytes.AsSpan(0, Math.Min(16, file.Bytes.Length))) is not { } type)
            {
                LogAttachmentRefused(mail.MessageId, file.ContentType, file.Bytes.Length);
                continue;
            }
            var stored = await store.SaveAsync(key, kept.Count + 1, file.Name, file.Bytes, type, ct);
            kept.Add(new AttachmentInfo(stored.Name, stored.ContentType, stored.Size));
        }
        return kept;
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Mail {MessageId} not taken as an appeal: {Reason}")]
    private partial void LogIgnored(string messageId, string reason);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Mail {MessageId} reuses a Message-ID with other content; the first mail stands")]
    private partial void LogConflict(string messageId);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Information, Message = "Attachment of mail {MessageId} not kept ({ContentType}, {Bytes} bytes): not a photo or PDF, or too large or too many")]
    private partial void LogAttachmentRefused(string messageId, string contentType, int bytes);
}
