using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Data;

namespace Otklik.Application.Channels;

/// <summary>
/// Sends the outbox: each pending reply through its ticket's channel, with growing pauses between
/// failed attempts (30 s, 1 min, 2 min … up to an hour). Run right after a reply is stored and on a timer.
/// </summary>
public sealed partial class ReplyOutbox(OtklikDbContext db, IEnumerable<IChannelSender> senders, TimeProvider time, ILogger<ReplyOutbox> logger)
{
    private const int Batch = 50;

    public bool HasSender(Channel channel) => senders.Any(s => s.Channel == channel);

    /// <summary>
    /// Queues a message for the ticket's channel in the caller's unit of work (saved with the ticket
    /// change); returns false when the channel has no sender (app, web: the portal shows the message).
    /// </summary>
    public bool Enqueue(Core.Tickets.Ticket ticket, string text, DateTimeOffset now)
    {
        if (!HasSender(ticket.Channel))
        {
            return false;
        }
        db.Outbox.Add(new OutboxMessage { TicketId = ticket.TicketId, Channel = WireName.Of(ticket.Channel), Text = text, CreatedAt = now, NextAttemptAt = now });
        return true;
    }

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var due = await db.Outbox.Where(o => o.DeliveredAt == null && o.NextAttemptAt <= now).OrderBy(o => o.Id).Take(Batch).ToListAsync(ct);
        var sent = 0;
        foreach (var item in due)
        {
            // Claim the item first (the next attempt moves on), so a second sender — the timer, another node — skips it.
            var seen = item.NextAttemptAt;
            var lease = now.AddMinutes(2);
            if (await db.Outbox.Where(o => o.Id == item.Id && o.DeliveredAt == null && o.NextAttemptAt == seen)
                    .ExecuteUpdateAsync(u => u.SetProperty(o => o.NextAttemptAt, lease), ct) == 0)
            {
                db.Entry(item).State = EntityState.Detached;
                continue;
            }
            item.NextAttemptAt = lease;
            db.Entry(item).Property(o => o.NextAttemptAt).OriginalValue = lease;
            var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.TicketId == item.TicketId, ct);
            var sender = WireName.TryParse<Channel>(item.Channel, out var channel) ? senders.FirstOrDefault(s => s.Channel == channel) : null;
            if (ticket is null || sender is null)
            {
                item.LastError = "no ticket or no sender for the channel";
                item.NextAttemptAt = now.AddHours(1);
                continue;
            }
            item.Attempts++;
            bool delivered;
            try
            {
                delivered = await sender.DeliverAsync(ticket, item.Text, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                delivered = false;
                item.LastError = ex.GetType().Name + ": " + (ex.Message.Length > 400 ? ex.Message[..400] : ex.Message);
            }
            if (delivered)
            {
                item.DeliveredAt = now;
                sent++;
            }
            else
            {
                item.NextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, item.Attempts - 1)));
                LogRetry(item.TicketId, item.Channel, item.Attempts);
            }
        }
        await db.SaveChangesAsync(ct);
        return sent;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Reply on {TicketId} not delivered via {Channel} (attempt {Attempts}); it will be retried")]
    private partial void LogRetry(string ticketId, string channel, int attempts);
}
