using System.Text.Json;
using Otklik.Application;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
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
}
