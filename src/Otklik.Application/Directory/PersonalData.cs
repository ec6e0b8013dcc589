using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Otklik.Core;
using Otklik.Core.Text;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Directory;

/// <summary>
/// A data subject's rights under 152-FZ: an export of everything the desk holds about one account, and
/// erasure. Erasure removes what identifies the person (name, phone, e-mail, channel identities, the
/// words they wrote, what they claimed, stored attachments) and keeps the bare record of each appeal,
/// decision and ticket — times, outcomes, reason codes, order numbers, due times — because a consumer
/// dispute may still be brought within the limitation period (Civil Code art. 196: 3 years) and the
/// operator must be able to show how the appeal was handled.
/// </summary>
public sealed class PersonalData(OtklikDbContext db, TimeProvider time, string dataDirectory, Appeals.IntakeCommitter? committer = null)
{
    public const string Redacted = "[удалено по запросу субъекта персональных данных]";

    public async Task<JsonObject?> ExportAsync(string accountId, CancellationToken ct)
    {
        var account = await db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == accountId, ct);
        if (account is null)
        {
            return null;
        }
        var identities = await db.Identities.AsNoTracking().Where(i => i.AccountId == accountId).ToListAsync(ct);
        var orders = await db.Orders.AsNoTracking().Where(o => o.AccountId == accountId).ToListAsync(ct);
        var appeals = await db.Appeals.AsNoTracking().OfAccount(accountId).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Include(t => t.Messages).OfAccount(accountId).OrderBy(t => t.Seq).ToListAsync(ct);
        return new JsonObject
        {
            ["exported_at"] = time.GetUtcNow(),
            ["account"] = JsonSerializer.SerializeToNode(new { account.AccountId, Role = WireName.Of(account.Role), account.Name, account.Phone, account.Email, account.CreatedAt, account.LastActiveAt, account.Blocked, account.FlaggedForReview }, OtklikJson.Options),
            ["identities"] = new JsonArray([.. identities.Select(i => JsonSerializer.SerializeToNode(new { Kind = WireName.Of(i.Kind), i.Value, i.Verified }, OtklikJson.Options))]),
            ["orders"] = new JsonArray([.. orders.Select(o => JsonSerializer.SerializeToNode(new { o.Number, Status = WireName.Of(o.Status), o.CreatedAt, o.DeliveredAt, o.PriceRub }, OtklikJson.Options))]),
            ["appeals"] = new JsonArray([.. appeals.Select(a => JsonSerializer.SerializeToNode(new
            {
                a.AppealId, Channel = WireName.Of(a.Channel), a.ReceivedAt, a.OrderNumber, a.ProblemType, a.Text, Outcome = WireName.Of(a.Outcome), a.DecidedBy, a.TicketId,
                Claimed = JsonNode.Parse(a.ClaimedJson), Attachments = JsonNode.Parse(a.AttachmentsJson),
            }, OtklikJson.Options))]),
            ["tickets"] = new JsonArray([.. tickets.Select(t => JsonSerializer.SerializeToNode(new
            {
                t.TicketId, t.Number, Status = WireName.Of(t.Status), t.CreatedAt, t.OrderNumber, t.ProblemType,
                Messages = t.Messages.Where(m => !m.Internal).OrderBy(m => m.At).Select(m => new { Author = WireName.Of(m.Author), m.At, m.Text }),
            }, OtklikJson.Options))]),
        };
    }

    /// <summary>Erases the account's personal data; returns false when there is no such account.</summary>
    public async Task<bool> EraseAsync(string accountId, CancellationToken ct)
    {
        var account = await db.Requesters.FirstOrDefaultAsync(r => r.AccountId == accountId, ct);
        if (account is null)
        {
            return false;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (account.Email is { } email)
        {
            // The e-mail thread map holds the address: the threads go with it.
            db.Mail.RemoveRange(await db.Mail.Where(m => m.Address == email).ToListAsync(ct));
        }
        account.Name = null;
        account.Phone = null;
        account.Email = null;
        account.PhoneVerified = false;
        account.EmailVerified = false;
        account.UpdatedAt = time.GetUtcNow();
        db.Identities.RemoveRange(await db.Identities.Where(i => i.AccountId == accountId).ToListAsync(ct));
        var appeals = await db.Appeals.OfAccount(accountId).ToListAsync(ct);
        foreach (var appeal in appeals)
        {
            db.Entry(appeal).Property(a => a.Text).CurrentValue = Redacted;
            db.Entry(appeal).Property(a => a.TextStems).CurrentValue = "";
            db.Entry(appeal).Property(a => a.ClaimedJson).CurrentValue = "{}";
            db.Entry(appeal).Property(a => a.RequestJson).CurrentValue = JsonText.EmptyObject;
            db.Entry(appeal).Property(a => a.AttachmentsJson).CurrentValue = "[]";
            // The gate snapshot holds the account's name and contacts; an erased appeal leaves the replays.
            appeal.ContextJson = null;
            DeleteAttachments(appeal.IdempotencyKey);
        }
        var accountTickets = db.Tickets.OfAccount(accountId);
        // From the account's tickets to their messages (an EXISTS the other way round read every message).
        var messages = await (from t in accountTickets
                              join m in db.TicketMessages on t.Seq equals m.TicketSeq
                              where m.Author == MessageAuthor.Customer
                              select m).ToListAsync(ct);
        foreach (var message in messages)
        {
            db.Entry(message).Property(m => m.Text).CurrentValue = Redacted;
        }
        foreach (var ticket in await accountTickets.ToListAsync(ct))
        {
            ticket.TextStems = "";
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (committer is not null)
        {
            // The embedded writer may remember the person (account, orders, tickets): no copy outlives the erasure.
            await committer.ForgetRememberedAsync();
        }
        return true;
    }

    private void DeleteAttachments(string key)
    {
        var safeKey = new string([.. key.Where(char.IsAsciiLetterOrDigit).Take(64)]);
        var dir = Path.Combine(dataDirectory, "attachments", safeKey);
        if (safeKey.Length > 0 && System.IO.Directory.Exists(dir))
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }
}
