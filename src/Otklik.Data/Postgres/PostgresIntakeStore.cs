using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;
using Otklik.Data.Embedded;

namespace Otklik.Data.Postgres;

/// <summary>
/// The intake's own way into PostgreSQL: one transaction an appeal on a pooled connection, the same
/// dozen statements every time, prepared on each connection by Npgsql, mapped from the same EF Core
/// model the migrations use. EF Core stays the store for everything else; through it an appeal cost
/// ≈ 4 ms of the node's processor (change tracking, command building, ten round trips' worth of
/// LINQ), which made two cores take ≈ 250 appeals/s.
/// </summary>
public sealed class PostgresIntakeStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly Maps _maps;

    public PostgresIntakeStore(string connectionString, IModel model)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Prepared once per physical connection, then only bound and executed: PostgreSQL neither parses
        // nor plans the intake's statements again. An operator's own setting wins.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        // A few connections kept busy beat one per waiting request: with 64 intakes at once on two cores
        // PostgreSQL's backends took turns on the processors and the slowest appeals waited behind all of
        // them (bench/load/postgres.sh: p99 359 ms with the pool's default of 100, 131 ms with 8, at the
        // same rate). The rest wait for a connection here, in order. Again the operator's setting wins.
        if (!Names(connectionString, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = 4 * Environment.ProcessorCount;
        }
        _source = NpgsqlDataSource.Create(builder);
        _maps = new Maps(model);
    }

    private static bool Names(string connectionString, params string[] keys)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keys.Any(given.ContainsKey);
    }

    /// <summary>A session for reads and writes of no appeal in particular (see the overload).</summary>
    public ValueTask<PostgresIntakeSession> OpenAsync(CancellationToken ct) => OpenAsync(null, null, ct);

    /// <summary>
    /// A session on a connection of its own with its transaction begun; the caller commits and disposes it.
    /// Given the appeal's idempotency key, the session checks it with the first batch that holds the requester.
    /// </summary>
    public async ValueTask<PostgresIntakeSession> OpenAsync(string? clientName, string? idempotencyKey, CancellationToken ct)
    {
        var connection = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        return new PostgresIntakeSession(connection, _maps, clientName, idempotencyKey);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    internal sealed class Maps : IntakeTables
    {
        public Maps(IModel model)
            : base(model, RowSource.Database)
        {
            InsertTicket = InsertSql(Tickets, returning: true);
            InsertEvent = InsertSql(Events);
            InsertMessage = InsertSql(Messages);
            InsertBucket = InsertSql(Buckets);
            UpsertBucket = InsertSql(Buckets) + $" ON CONFLICT ({Buckets.Key.Quoted}) DO UPDATE SET "
                + string.Join(", ", Buckets.InsertedColumns.Where(c => !c.Property.IsPrimaryKey()).Select(c => $"{c.Quoted} = EXCLUDED.{c.Quoted}"));
            InsertAppeal = InsertSql(Appeals);
            UpdateTicket = UpdateSql(Tickets);
            UpdateBucket = UpdateSql(Buckets);
            // Positional parameters ($1, $2): Npgsql sends the text as it is, without rewriting named ones.
            RequesterById = $"SELECT {Requesters.SelectList()} FROM \"{Requesters.Table}\" WHERE \"AccountId\" = $1 LIMIT 1";
            IdentityByValue = $"SELECT {Identities.SelectList()} FROM \"{Identities.Table}\" WHERE \"Kind\" = $1 AND \"Value\" = $2 LIMIT 1";
            ByPhone = $"SELECT {Requesters.SelectList()} FROM \"{Requesters.Table}\" WHERE \"Phone\" = $1 ORDER BY \"PhoneVerified\" DESC LIMIT 1";
            ByEmail = $"SELECT {Requesters.SelectList()} FROM \"{Requesters.Table}\" WHERE \"Email\" = $1 ORDER BY \"EmailVerified\" DESC LIMIT 1";
            RecentOrders = $"SELECT {ListedOrders.SelectList()} FROM \"{Orders.Table}\" WHERE \"AccountId\" = $1 ORDER BY \"CreatedAt\" DESC LIMIT $2";
            OrderByNumber = $"SELECT {Orders.SelectList()} FROM \"{Orders.Table}\" WHERE \"Number\" = $1 LIMIT 1";
            AppealsSince = $"SELECT COUNT(*), MIN(\"CreatedAt\") FROM \"{Appeals.Table}\" WHERE \"RequesterKey\" = $1 AND \"CreatedAt\" >= $2";
            SameText = $"SELECT COUNT(*) FROM (SELECT DISTINCT \"RequesterKey\" FROM \"{Appeals.Table}\" WHERE \"TextFingerprint\" = $1 AND \"CreatedAt\" >= $2 AND \"RequesterKey\" <> $3 LIMIT $4) AS others";
            TicketBySeq = $"SELECT {Tickets.SelectList()} FROM \"{Tickets.Table}\" WHERE \"Seq\" = $1";
            RequesterTickets = $"SELECT {TicketFacts.SelectList()} FROM \"{Tickets.Table}\" WHERE \"RequesterKey\" = $1 AND (\"Status\" IN ($2, $3) OR \"UpdatedAt\" >= $4) ORDER BY \"UpdatedAt\" DESC LIMIT $5";
            BucketOf = $"SELECT {Buckets.SelectList()} FROM \"{Buckets.Table}\" WHERE \"RequesterKey\" = $1 LIMIT 1";
            Idempotency = $"SELECT {Appeals.SelectList()} FROM \"{Appeals.Table}\" WHERE \"ClientName\" = $1 AND \"IdempotencyKey\" = $2 LIMIT 1";
            Flag = $"UPDATE \"{Requesters.Table}\" SET \"FlaggedForReview\" = TRUE WHERE \"AccountId\" = $1";
        }

        public string InsertTicket { get; }
        public string InsertEvent { get; }
        public string InsertMessage { get; }
        public string InsertBucket { get; }
        public string UpsertBucket { get; }
        public string InsertAppeal { get; }
        public string UpdateTicket { get; }
        public string UpdateBucket { get; }
        public string RequesterById { get; }
        public string IdentityByValue { get; }
        public string ByPhone { get; }
        public string ByEmail { get; }
        public string RecentOrders { get; }
        public string OrderByNumber { get; }
        public string AppealsSince { get; }
        public string SameText { get; }
        public string TicketBySeq { get; }
        public string RequesterTickets { get; }
        public string BucketOf { get; }
        public string Idempotency { get; }
        public string Flag { get; }

        // INSERT of InsertedColumns as $1…$n, RETURNING the store-made key if asked.
        private static string InsertSql<T>(RowMap<T> map, bool returning = false) where T : class =>
            $"INSERT INTO \"{map.Table}\" ({string.Join(", ", map.InsertedColumns.Select(c => c.Quoted))}) VALUES ({string.Join(", ", map.InsertedColumns.Select((_, i) => $"${i + 1}"))})"
            + (returning ? $" RETURNING {map.Key.Quoted}" : "");

        // UPDATE of every column but the key, bound as Columns in order ($1…$n, the key among them),
        // where the row still has the concurrency token it was read with ($n+1).
        private static string UpdateSql<T>(RowMap<T> map) where T : class
        {
            var columns = map.Columns;
            var token = columns.Single(c => c.Property.IsConcurrencyToken);
            var set = columns.Select((c, i) => (c, i)).Where(x => !x.c.Property.IsPrimaryKey()).Select(x => $"{x.c.Quoted} = ${x.i + 1}");
            var key = columns.Select((c, i) => (c, i)).Single(x => x.c.Property.IsPrimaryKey());
            return $"UPDATE \"{map.Table}\" SET {string.Join(", ", set)} WHERE {key.c.Quoted} = ${key.i + 1} AND {token.Quoted} = ${columns.Count + 1}";
        }
    }
}
