using Microsoft.EntityFrameworkCore.Metadata;
using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data.Embedded;

/// <summary>
/// The intake's own way into the embedded SQLite store: kept-open connections with prepared
/// statements (<see cref="IntakeSession"/>), mapped from the same EF Core model the migrations use.
/// EF Core stays the store for everything else; the intake is the hot path and runs without its
/// per-query overhead (≈ 150 µs a query on the CI machine against ≈ 10 µs prepared). The writer's
/// session does the intake's work (see <c>IntakeCommitter</c>).
/// </summary>
public sealed class EmbeddedIntakeStore
{
    private readonly string _connectionString;
    private readonly Maps _maps;

    public EmbeddedIntakeStore(string connectionString, IModel model)
    {
        _connectionString = connectionString;
        _maps = new Maps(model);
    }

    /// <summary>A session of its own (the writer's, the checkpointer's); the caller disposes it.</summary>
    public IntakeSession Open() => new(_connectionString, _maps);

    internal sealed class Maps : IntakeTables
    {
        public Maps(IModel model)
            : base(model, RowSource.Sqlite)
        {
            Sql = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["requester"] = $"SELECT {Requesters.SelectList()} FROM \"{Requesters.Table}\" WHERE \"AccountId\" = $a LIMIT 1",
                ["identity"] = $"SELECT {Identities.SelectList()} FROM \"{Identities.Table}\" WHERE \"Kind\" = $k AND \"Value\" = $v LIMIT 1",
                ["by-phone"] = $"SELECT {Requesters.SelectList()} FROM \"{Requesters.Table}\" WHERE \"Phone\" = $v ORDER BY \"PhoneVerified\" DESC LIMIT 1",
                ["by-email"] = $"SELECT {Requesters.SelectList()} FROM \"{Requesters.Table}\" WHERE \"Email\" = $v ORDER BY \"EmailVerified\" DESC LIMIT 1",
                ["orders"] = $"SELECT {ListedOrders.SelectList()} FROM \"{Orders.Table}\" WHERE \"AccountId\" = $a ORDER BY \"CreatedAt\" DESC LIMIT {{limit}}",
                ["order"] = $"SELECT {Orders.SelectList()} FROM \"{Orders.Table}\" WHERE \"Number\" = $n LIMIT 1",
                // The writer's cache keeps a requester's recent appeal times (CachingIntakeSession): the index alone answers.
                ["appeal-times"] = $"SELECT \"CreatedAt\" FROM \"{Appeals.Table}\" WHERE \"RequesterKey\" = $k AND \"CreatedAt\" >= $s ORDER BY \"CreatedAt\" LIMIT {{limit}}",
                ["data-version"] = "PRAGMA data_version",
                ["page-count"] = "PRAGMA page_count",
                ["page-size"] = "PRAGMA page_size",
                ["cache-size"] = "PRAGMA cache_size",
                ["appeals-since"] = $"SELECT COUNT(*), MIN(\"CreatedAt\") FROM \"{Appeals.Table}\" WHERE \"RequesterKey\" = $k AND \"CreatedAt\" >= $s",
                // Told apart by the session (few rows): SQL's DISTINCT would build a temporary b-tree for every appeal.
                ["same-text"] = $"SELECT \"RequesterKey\" FROM \"{Appeals.Table}\" WHERE \"TextFingerprint\" = $f AND \"CreatedAt\" >= $s AND \"RequesterKey\" <> $k",
                ["ticket"] = $"SELECT {Tickets.SelectList()} FROM \"{Tickets.Table}\" WHERE \"Seq\" = $s",
                ["tickets"] = $"SELECT {TicketFacts.SelectList()} FROM \"{Tickets.Table}\" WHERE \"RequesterKey\" = $k AND (\"Status\" IN ($open, $pending) OR \"UpdatedAt\" >= $s) ORDER BY \"UpdatedAt\" DESC LIMIT {{limit}}",
                ["bucket"] = $"SELECT {Buckets.SelectList()} FROM \"{Buckets.Table}\" WHERE \"RequesterKey\" = $k LIMIT 1",
                ["idempotency"] = $"SELECT {Appeals.SelectList()} FROM \"{Appeals.Table}\" WHERE \"ClientName\" = $c AND \"IdempotencyKey\" = $k LIMIT 1",
                ["checkpoint"] = "PRAGMA wal_checkpoint(PASSIVE)",
                ["savepoint"] = "SAVEPOINT intake",
                ["release"] = "RELEASE intake",
                ["rollback-to"] = "ROLLBACK TO intake",
                ["flag"] = $"UPDATE \"{Requesters.Table}\" SET \"FlaggedForReview\" = 1 WHERE \"AccountId\" = $a",
            };
        }

        public Dictionary<string, string> Sql { get; }
    }
}
