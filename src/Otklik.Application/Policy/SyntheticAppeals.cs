using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Core.Text;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Policy;

/// <summary>
/// Fills a store with generated appeals — varied requesters, orders, histories and loads — each decided
/// by the gate under a given policy and stored with its snapshot, as the intake would have. For
/// measuring and testing the replay at volume (a million appeals), not for production stores.
/// </summary>
public sealed class SyntheticAppeals(OtklikDbContext db, AdmissionGate gate, SlaClock clock)
{
    public const string ClientName = "synthetic";

    private static readonly string[] s_texts =
    [
        "Чайник пришёл с трещиной на корпусе, прошу замену", "Заказ не доставили в срок, курьер не выходит на связь",
        "Деньги за возврат так и не пришли на карту", "Не могу войти в аккаунт, код не приходит", "Списали деньги дважды за один заказ",
        "Пришёл не тот цвет, хочу обменять", "ок", "!!!!!!!", "Верните деньги срочно", "Товар не соответствует описанию на сайте",
    ];

    public async Task GenerateAsync(int count, DateTimeOffset from, DateTimeOffset to, GatePolicy policy, int seed, IProgress<int>? progress, CancellationToken ct)
    {
        var random = new Random(seed);
        var span = (to - from).Ticks;
        var types = policy.Catalog;
        var previous = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            const int Batch = 5000;
            for (var done = 0; done < count;)
            {
                var n = Math.Min(Batch, count - done);
                for (var i = 0; i < n; i++)
                {
                    var at = from.AddTicks((long)(random.NextDouble() * span));
                    db.Appeals.Add(One(random, done + i, at, types[random.Next(types.Count)], policy));
                }
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                done += n;
                progress?.Report(done);
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = previous;
        }
    }

    private Appeal One(Random r, int index, DateTimeOffset at, ProblemTypeDefinition type, GatePolicy policy)
    {
        var role = type.Roles.Contains(RequesterRole.Buyer) ? RequesterRole.Buyer : RequesterRole.Seller;
        var guest = r.NextDouble() < 0.08;
        var accountId = $"syn-{r.Next(200_000)}";
        Requester? account = guest ? null : new Requester
        {
            AccountId = accountId,
            Role = role,
            CreatedAt = at.AddDays(-r.Next(0, 2000)),
            LastActiveAt = at.AddDays(-r.Next(0, 400)),
            Name = "Покупатель " + index,
            Phone = "+7916" + r.Next(1_000_000, 9_999_999),
            PhoneVerified = r.NextDouble() < 0.9,
            Blocked = r.NextDouble() < 0.01,
        };
        var orderCount = account is null ? 0 : r.Next(0, 30);
        string? orderNumber = orderCount > 0 && r.NextDouble() < 0.8 ? $"SYN-{r.Next(10_000_000)}" : null;
        Order? order = orderNumber is null ? null : new Order
        {
            Number = orderNumber,
            AccountId = r.NextDouble() < 0.97 ? accountId : "someone-else",
            Status = (OrderStatus)r.Next(Enum.GetValues<OrderStatus>().Length),
            CreatedAt = at.AddDays(-r.Next(1, 400)),
            DeliveredAt = at.AddDays(-r.Next(0, 300)),
            PriceRub = r.Next(100, 100_000),
        };
        var text = s_texts[r.Next(s_texts.Length)];
        var normalized = NormalizedText.From(text);
        var tickets = new List<TicketFacts>();
        for (var t = r.Next(0, 3); t > 0; t--)
        {
            var status = (TicketStatus)r.Next(Enum.GetValues<TicketStatus>().Length);
            tickets.Add(new TicketFacts($"t_syn{index}_{t}", index * 3L + t, status, Queue.Buyers, PriorityClass.P3, r.NextDouble() < 0.5 ? orderNumber : null,
                r.NextDouble() < 0.5 ? type.Code : "other", r.NextDouble() < 0.3 ? normalized.StemsJoined : "", at.AddDays(-r.Next(1, 60)), at.AddDays(-r.Next(0, 30)),
                status is TicketStatus.Solved or TicketStatus.Closed ? at.AddDays(-r.Next(0, 40)) : null, status == TicketStatus.Closed ? at.AddDays(-r.Next(0, 20)) : null,
                r.Next(0, 3), guest ? null : accountId, guest ? "phone:+7900" + index : "account:" + accountId));
        }
        var snapshot = new GateSnapshot
        {
            Account = account,
            IdentityLinked = !guest,
            IdentityVerified = !guest && r.NextDouble() < 0.85,
            RequesterKey = guest ? "phone:+7900" + index : "account:" + accountId,
            Now = at,
            OrderCount = orderCount,
            OrderNumber = orderNumber,
            Order = order,
            AppealsLastDay = r.NextDouble() < 0.05 ? r.Next(10, 40) : r.Next(0, 4),
            SameTextRequesters = r.NextDouble() < 0.03 ? r.Next(3, 10) : 0,
            Tickets = tickets,
            RateTokens = r.NextDouble() < 0.2 ? r.NextDouble() * 3 : null,
            RateUpdatedAt = at.AddHours(-r.Next(0, 48)),
            Load = new LoadFacts(r.Next(0, 2000), r.Next(0, 40), 12),
        };
        var attachments = r.NextDouble() < 0.5 ? new List<AttachmentInfo> { new("photo.jpg", "image/jpeg", 100_000) } : [];
        var demand = type.LegalBasis is not null && r.NextDouble() < 0.3 ? (Demand?)Demand.Refund : null;
        var channel = (Channel)r.Next(Enum.GetValues<Channel>().Length);
        var request = new AppealRequest(channel, RequesterAddress.ForAccount(snapshot.RequesterKey), role, orderNumber, type.Code, demand, text, attachments, ClaimedData.None, at);
        var result = gate.Evaluate(snapshot.Restore(request, policy, normalized, clock.LocalDate));
        return new Appeal
        {
            AppealId = $"ap_syn{index:D9}_{r.Next():x}",
            ClientName = ClientName,
            IdempotencyKey = $"syn-{index}-{r.Next():x}",
            RequestHash = "",
            Channel = channel,
            RequesterKey = snapshot.RequesterKey,
            AccountId = account?.AccountId,
            Role = role,
            OrderNumber = orderNumber,
            ProblemType = type.Code,
            Demand = demand,
            Text = text,
            TextStems = normalized.StemsJoined,
            TextFingerprint = unchecked((long)normalized.Fingerprint),
            AttachmentsJson = JsonSerializer.Serialize(attachments, OtklikJson.Options),
            ReceivedAt = at,
            CreatedAt = at,
            Outcome = result.Outcome,
            Priority = result.Priority,
            PolicyVersion = policy.Version,
            DecidedBy = result.DecidingRule,
            Reason = result.Decision?.Reason is { } reason ? WireName.Of(reason) : null,
            DecisionJson = JsonText.EmptyObject,
            ContextJson = OtklikJson.SerializeStored(snapshot),
        };
    }
}
