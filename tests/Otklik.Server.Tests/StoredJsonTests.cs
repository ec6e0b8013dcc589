using System.Text.Json;
using Otklik.Application;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Server.Tests;

/// <summary>What is stored without its nulls reads back as what was decided.</summary>
public sealed class StoredJsonTests
{
    private static readonly DateTimeOffset s_at = new(2026, 11, 26, 3, 0, 0, TimeSpan.FromHours(3));

    [Fact]
    public void ADecisionStoredWithoutNulls_ReadsBackTheSame_AndIsLessThanHalfTheBytes()
    {
        var decision = new Decision
        {
            Outcome = Outcome.NeedsInfo,
            PolicyVersion = "2026-11-25.1",
            Priority = PriorityClass.P2,
            Reasons = [new DecisionReason(ReasonCode.OrderRequired), new DecisionReason(ReasonCode.DataMismatch, "phone")],
            Remediation =
            [
                new DecisionRemediation(RemediationAction.ChooseOrder) { Orders = [new OrderChoice("38211574-0012", "delivered", s_at)] },
                new DecisionRemediation(RemediationAction.LinkPhone) { Channel = Channel.Telegram },
            ],
            Alternatives = [new DecisionAlternative(Channel.Phone, "8-800-234-55-66", "24/7")],
            Ticket = new TicketRef("t_1", "T-000001", TicketStatus.Open, Queue.Buyers, PriorityClass.P2),
            FirstResponseDue = s_at,
            Trace = [.. Enumerable.Range(1, 14).Select(i => new TraceEntry(i, "rule" + i, "pass", i == 7 ? Outcome.NeedsInfo : null, i == 7 ? ReasonCode.OrderRequired : null, i % 3 == 0 ? i : null, null, null, null))],
        };

        var stored = JsonSerializer.Serialize(decision, OtklikJson.Stored);
        var whole = JsonSerializer.Serialize(decision, OtklikJson.Options);
        var readBack = JsonSerializer.Deserialize<Decision>(stored, OtklikJson.Options)!;

        Assert.Equal(whole, JsonSerializer.Serialize(readBack, OtklikJson.Options));
        Assert.DoesNotContain("null", stored, StringComparison.Ordinal);
        Assert.True(stored.Length * 2 < whole.Length, $"{stored.Length} of {whole.Length} bytes");
    }

    [Fact]
    public void AGateSnapshotStoredWithoutNulls_ReadsBackTheSame()
    {
        var snapshot = new GateSnapshot
        {
            Account = new Requester { AccountId = "a-1", Role = RequesterRole.Buyer, CreatedAt = s_at, Phone = "+79160000000", PhoneVerified = true, UpdatedAt = s_at },
            IdentityLinked = true,
            RequesterKey = "account:a-1",
            Now = s_at,
            AppealsLastDay = 2,
            OldestAppealLastDay = s_at,
            Tickets = [new TicketFacts("t_1", 1, TicketStatus.Solved, Queue.Buyers, PriorityClass.P3, null, "other", "доставк", s_at, s_at, s_at, null, 1, "a-1", "account:a-1")],
            RateTokens = 0.5,
            Load = new LoadFacts(10, 2, 8),
        };

        var stored = JsonSerializer.Serialize(snapshot, OtklikJson.Stored);
        var readBack = JsonSerializer.Deserialize<GateSnapshot>(stored, OtklikJson.Options)!;

        Assert.Equal(JsonSerializer.Serialize(snapshot, OtklikJson.Options), JsonSerializer.Serialize(readBack, OtklikJson.Options));
    }

    [Fact]
    public void ASnapshotsTickets_AreStoredAsTheirFactsOnly()
    {
        var facts = new TicketFacts("t_1", 7, TicketStatus.Solved, Queue.Buyers, PriorityClass.P3, null, "other", "доставк", s_at, s_at, s_at, null, 1, "a-1", "account:a-1");
        var stored = OtklikJson.SerializeStored(new GateSnapshot { RequesterKey = "account:a-1", Now = s_at, Tickets = [facts] }).ToString();

        using var json = JsonDocument.Parse(stored);
        var written = json.RootElement.GetProperty("tickets")[0].EnumerateObject().Select(p => p.Name).ToHashSet();
        var parameters = typeof(TicketFacts).GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!));
        Assert.Subset(parameters.ToHashSet(), written); // nothing derived (a number, a flag) is stored beside them
    }

    [Fact]
    public void TheIntakesGeneratedWriter_WritesADecisionExactlyAsTheSerializerWould()
    {
        Assert.NotNull(StoredJsonContext.Default.Decision.SerializeHandler); // else SerializeStored falls back, and this test proves nothing
        var decision = new Decision
        {
            Outcome = Outcome.Rejected,
            PolicyVersion = "2026-11-25.1",
            Priority = PriorityClass.P1,
            Reasons = [new DecisionReason(ReasonCode.DataMismatch, "телефон не совпадает <b>&\"'</b>")],
            Remediation =
            [
                new DecisionRemediation(RemediationAction.ChooseOrder) { Orders = [new OrderChoice("38211574-0012", "delivered", s_at)], At = s_at },
                new DecisionRemediation(RemediationAction.LinkPhone) { Channel = Channel.Telegram, Field = "phone", Address = "@otklik_bot" },
            ],
            Alternatives = [new DecisionAlternative(Channel.Phone, "8-800-234-55-66", "круглосуточно")],
            RetryAfterSeconds = 3600,
            RetryAt = s_at.AddHours(1),
            Eta = s_at.AddDays(2),
            Ticket = new TicketRef("t_1", "T-000001", TicketStatus.Pending, Queue.Sellers, PriorityClass.P4),
            FirstResponseDue = s_at.AddMinutes(30),
            DecidedBy = "data_mismatch",
            Trace = [.. Enumerable.Range(1, 14).Select(i => new TraceEntry(i, "rule" + i, "pass", i == 7 ? Outcome.NeedsInfo : null, i == 7 ? ReasonCode.OrderRequired : null, i % 3 == 0 ? i : null, null, null, null))],
        };

        Assert.Equal(JsonSerializer.Serialize(decision, OtklikJson.Stored), OtklikJson.SerializeStored(decision).ToString());
        Assert.Equal(JsonSerializer.Serialize(new Decision { Outcome = Outcome.Accepted, PolicyVersion = "v", Priority = PriorityClass.P3 }, OtklikJson.Stored),
            OtklikJson.SerializeStored(new Decision { Outcome = Outcome.Accepted, PolicyVersion = "v", Priority = PriorityClass.P3 }).ToString());
    }

    [Fact]
    public void TheIntakesGeneratedWriter_WritesAGateSnapshotExactlyAsTheSerializerWould_HoweverLongAndOneAfterAnother()
    {
        Assert.NotNull(StoredJsonContext.Default.GateSnapshot.SerializeHandler);
        var full = new GateSnapshot
        {
            Account = new Requester
            {
                AccountId = "a-1",
                Role = RequesterRole.Seller,
                CreatedAt = s_at,
                Phone = "+79160000000",
                PhoneVerified = true,
                Email = "a@example.ru",
                FlaggedForReview = true,
                UpdatedAt = s_at,
                LastActiveAt = s_at,
                Name = "Анна «Ромашка»",
                Blocked = true,
            },
            Identity = new Identity { Kind = IdentityKind.Telegram, Value = "123456", AccountId = "a-1", Verified = true, FailedConfirmations = 2, LastFailedAt = s_at, UpdatedAt = s_at },
            IdentityLinked = true,
            IdentityVerified = true,
            RequesterKey = "account:a-1",
            Now = s_at,
            OrderCount = 3,
            OrderNumber = "38211574-0012",
            Order = new Order
            {
                Number = "38211574-0012",
                AccountId = "a-1",
                Status = OrderStatus.Delivered,
                CreatedAt = s_at.AddDays(-9),
                ShippedAt = s_at.AddDays(-7),
                DeliveredAt = s_at.AddDays(-1),
                PriceRub = 12_999.90m,
                ReturnRulesGiven = false,
                ItemsJson = "[{\"name\":\"Чайник\"}]",
                UpdatedAt = s_at,
            },
            AppealsLastDay = 2,
            OldestAppealLastDay = s_at,
            SameTextRequesters = 5,
            Tickets = [.. Enumerable.Range(1, 100).Select(i => new TicketFacts($"t_{i}", i, (TicketStatus)(i % 4), Queue.Sellers, (PriorityClass)(1 + i % 4),
                i % 2 == 0 ? null : "38211574-0012", "not_delivered", string.Concat(Enumerable.Repeat("доставк заказ ", 30)), s_at, s_at, i % 3 == 0 ? s_at : null, null, i % 5, "a-1", "account:a-1"))],
            RateTokens = 0.37,
            RateUpdatedAt = s_at,
            Load = new LoadFacts(1_000, 12, 7.5),
        };
        var bare = new GateSnapshot { RequesterKey = "phone:+79160000000", Now = s_at, RateTokens = null };

        // The long one outgrows the writer's kept buffer; the short one after it must not carry any of it.
        foreach (var snapshot in new[] { bare, full, bare, full, bare })
        {
            Assert.Equal(JsonSerializer.Serialize(snapshot, OtklikJson.Stored), OtklikJson.SerializeStored(snapshot).ToString());
        }
        Assert.True(OtklikJson.SerializeStored(full).Length > 64 * 1024);
    }
}
