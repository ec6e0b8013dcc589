using Microsoft.Data.Sqlite;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data.Embedded;

/// <summary>
/// One kept-open SQLite connection with the intake's statements prepared once (<see cref="RawStatement"/>):
/// the gate's reads (<see cref="IGateContextSource"/>) and the writes of one appeal. The connection and
/// its transactions are Microsoft.Data.Sqlite's; the statements run through SQLite's own API. Not
/// thread-safe: one owner each.
/// </summary>
public sealed class IntakeSession : IIntakeSession, IDisposable
{
    private readonly EmbeddedIntakeStore.Maps _maps;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, RawStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int), string> _limited = [];
    private readonly Dictionary<string, string> _localSql = new(StringComparer.Ordinal);

    internal IntakeSession(string connectionString, EmbeddedIntakeStore.Maps maps)
    {
        _maps = maps;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using var pragmas = _connection.CreateCommand();
        // Checkpoints are left to CheckpointPassive on another connection (another core): copying the log
        // back into the file inside a commit stalled every intake behind it. The writer copies only the last
        // few frames itself, between two transactions, so that the log can start over.
        pragmas.CommandText = SqliteSettings.ConnectionPragmas + " PRAGMA wal_autocheckpoint=0;";
        pragmas.ExecuteNonQuery();
        SizeCache();
    }

    /// <summary>The size of the writer's page cache now, in KiB (<see cref="SqliteSettings.WriterCacheKib"/>).</summary>
    public int CacheKib { get; private set; }

    /// <summary>
    /// Sizes the page cache to the file as it is now (<see cref="SqliteSettings.WriterCacheKib"/>); the writer
    /// calls it again from time to time, between transactions, as the store grows.
    /// </summary>
    public void SizeCache()
    {
        var kib = SqliteSettings.WriterCacheKib(Scalar("page-count"), checked((int)Scalar("page-size")));
        if (kib != CacheKib)
        {
            using var pragma = _connection.CreateCommand();
            pragma.CommandText = $"PRAGMA cache_size=-{kib}";
            pragma.ExecuteNonQuery();
            CacheKib = kib;
        }
    }

    /// <summary>The page cache's size as SQLite has it (negative: KiB), to check <see cref="CacheKib"/> against.</summary>
    internal long CacheSizeSetting() => Scalar("cache-size");

    private long Scalar(string name)
    {
        var statement = Command(name);
        try
        {
            return statement.Step() ? statement.GetInt64(0) : 0;
        }
        finally
        {
            statement.Reset();
        }
    }

    internal EmbeddedIntakeStore.Maps Maps => _maps;

    /// <summary>
    /// Changes with every commit made on another connection (another part of the server, another process),
    /// never with this connection's own: what <see cref="CachingIntakeSession"/> watches to know its copies still hold.
    /// </summary>
    public long DataVersion() => Scalar("data-version");

    /// <summary>The requester's appeals since then, their times as stored (UTC ticks), oldest first, at most <paramref name="limit"/>.</summary>
    internal List<long> AppealTimes(string requesterKey, DateTimeOffset since, int limit)
    {
        var statement = Command(Limited("appeal-times", limit), ("$k", requesterKey), ("$s", _maps.Appeals["CreatedAt"].ToStore(since)));
        try
        {
            var times = new List<long>();
            while (statement.Step())
            {
                times.Add(statement.GetInt64(0));
            }
            return times;
        }
        finally
        {
            statement.Reset();
        }
    }

    public ValueTask<Requester?> RequesterAsync(string accountId, CancellationToken ct) =>
        new(One(_maps.Requesters, "requester", ("$a", accountId)));

    public ValueTask<Identity?> IdentityAsync(IdentityKind kind, string value, CancellationToken ct) =>
        new(One(_maps.Identities, "identity",
            ("$k", _maps.Identities["Kind"].ToStore(kind)), ("$v", value)));

    public ValueTask<Requester?> RequesterByContactAsync(IdentityKind kind, string value, CancellationToken ct) => kind switch
    {
        IdentityKind.Phone => new(One(_maps.Requesters, "by-phone", ("$v", value))),
        IdentityKind.Email => new(One(_maps.Requesters, "by-email", ("$v", value))),
        _ => new((Requester?)null),
    };

    /// <summary>The account's newest orders with what the gate lists of them (<see cref="WholeOrderAsync"/> reads the rest).</summary>
    public ValueTask<List<Order>> RecentOrdersAsync(string accountId, int limit, CancellationToken ct) =>
        new(Many(_maps.ListedOrders, Limited("orders", limit), ("$a", accountId)));

    public ValueTask<Order> WholeOrderAsync(Order listed, CancellationToken ct) =>
        new(One(_maps.Orders, "order", ("$n", listed.Number)) ?? throw new StoreConflictException($"Order {listed.Number} is gone"));

    public ValueTask<Order?> OrderAsync(string number, CancellationToken ct) =>
        new(One(_maps.Orders, "order", ("$n", number)));

    public ValueTask<(int Count, DateTimeOffset? Oldest)> AppealsSinceAsync(string requesterKey, DateTimeOffset since, CancellationToken ct)
    {
        var createdAt = _maps.Appeals["CreatedAt"];
        var statement = Command("appeals-since", ("$k", requesterKey), ("$s", createdAt.ToStore(since)));
        try
        {
            statement.Step();
            var count = statement.GetInt32(0);
            return new((count, count == 0 ? null : (DateTimeOffset?)createdAt.FromStore(statement.GetValue(1)!)));
        }
        finally
        {
            statement.Reset();
        }
    }

    public ValueTask<int> OtherRequestersWithTextAsync(long fingerprint, DateTimeOffset since, string requesterKey, int atMost, CancellationToken ct)
    {
        var statement = Command("same-text",
            ("$f", fingerprint), ("$s", _maps.Appeals["CreatedAt"].ToStore(since)), ("$k", requesterKey));
        try
        {
            // Usually no row at all; a wave's rows come from a handful of senders, each often more than once.
            HashSet<string>? seen = null;
            while ((seen?.Count ?? 0) < atMost && statement.Step())
            {
                (seen ??= new(StringComparer.Ordinal)).Add(statement.GetString(0));
            }
            return new(seen?.Count ?? 0);
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>
    /// The requester's tickets as the gate sees them (<see cref="Ticket.Facts"/>); <see cref="FullTicket"/> reads
    /// the whole one that an appeal is about to change.
    /// </summary>
    public ValueTask<List<TicketFacts>> TicketsAsync(string requesterKey, DateTimeOffset updatedSince, int limit, CancellationToken ct)
    {
        var status = _maps.Tickets["Status"];
        return new(Many(_maps.TicketFacts, Limited("tickets", limit),
            ("$k", requesterKey), ("$open", status.ToStore(TicketStatus.Open)), ("$pending", status.ToStore(TicketStatus.Pending)),
            ("$s", _maps.Tickets["UpdatedAt"].ToStore(updatedSince))).ConvertAll(t => t.Facts()));
    }

    /// <summary>The whole ticket, to change and save it.</summary>
    public Ticket? FullTicket(long seq) => One(_maps.Tickets, "ticket", ("$s", seq));

    public ValueTask<RateBucket?> RateBucketAsync(string requesterKey, CancellationToken ct) =>
        new(One(_maps.Buckets, "bucket", ("$k", requesterKey)));

    /// <summary>The appeal a client already sent under this idempotency key, if any.</summary>
    public Appeal? FindAppeal(string clientName, string idempotencyKey) =>
        One(_maps.Appeals, "idempotency",
            ("$c", clientName), ("$k", idempotencyKey));

    // One writer: nobody else can change what this transaction read, so nothing to lock.
    ValueTask IIntakeSession.LockRequesterAsync(long key, CancellationToken ct) => default;

    ValueTask<Appeal?> IIntakeSession.FindAppealAsync(string clientName, string idempotencyKey, CancellationToken ct) => new(FindAppeal(clientName, idempotencyKey));

    ValueTask<Ticket?> IIntakeSession.FullTicketAsync(long seq, CancellationToken ct) => new(FullTicket(seq));

    ValueTask IIntakeSession.InsertTicketAsync(Ticket ticket, CancellationToken ct)
    {
        InsertTicket(ticket);
        return default;
    }

    ValueTask IIntakeSession.UpdateTicketAsync(Ticket ticket, int eventsBefore, int messagesBefore, CancellationToken ct)
    {
        UpdateTicket(ticket, eventsBefore, messagesBefore);
        return default;
    }

    ValueTask IIntakeSession.SaveBucketAsync(RateBucket bucket, DateTimeOffset? readAt, CancellationToken ct)
    {
        SaveBucket(bucket, readAt);
        return default;
    }

    ValueTask IIntakeSession.FlagForReviewAsync(string accountId, CancellationToken ct)
    {
        FlagForReview(accountId);
        return default;
    }

    ValueTask IIntakeSession.InsertAppealAsync(Appeal appeal, CancellationToken ct)
    {
        InsertAppeal(appeal);
        return default;
    }

    // ---- writes: only inside the writer's transaction ----

    public SqliteTransaction Begin() => _connection.BeginTransaction(deferred: false);

    /// <summary>
    /// Writes the pages checkpoints have copied into the database file to disk. A passive checkpoint that
    /// does not reach the end of the log leaves them in the operating system's cache: SQLite syncs the file
    /// only when a checkpoint completes, and then flushes all of them at once.
    /// </summary>
    public void SyncDatabaseFile() => SqliteFileSync.SyncDatabaseFile(_connection);

    /// <summary>
    /// Copies what it can of the write-ahead log back into the file without waiting for anyone; says
    /// how many frames the log holds and how many of them are now in the file.
    /// </summary>
    public (int LogFrames, int Checkpointed) CheckpointPassive()
    {
        var statement = Command("checkpoint");
        try
        {
            return statement.Step() ? (statement.GetInt32(1), statement.GetInt32(2)) : (0, 0);
        }
        finally
        {
            statement.Reset();
        }
    }

    // Savepoints through prepared statements: SqliteTransaction.Save would parse them again for every appeal.
    public void Savepoint() => Run(Command("savepoint"));

    public void ReleaseSavepoint() => Run(Command("release"));

    public void RollbackToSavepoint()
    {
        Run(Command("rollback-to"));
        Run(Command("release"));
    }

    /// <summary>Inserts a new ticket with its first events and messages; the ticket gets its number.</summary>
    public void InsertTicket(Ticket ticket)
    {
        var seq = Insert(_maps.Tickets, "insert-ticket", ticket);
        _maps.Tickets.Key.Write(ticket, seq);
        InsertChildren(ticket, 0, 0);
    }

    /// <summary>
    /// Saves a ticket read by this intake and changed by it, if nobody changed it since (its version),
    /// with the events and messages it gained after the given counts.
    /// </summary>
    public void UpdateTicket(Ticket ticket, int eventsBefore, int messagesBefore)
    {
        var original = ticket.Version;
        ticket.Version = original + 1;
        var statement = Prepared("update-ticket", () => _maps.Tickets.UpdateSql);
        _maps.Tickets.BindUpdate(statement, ticket);
        statement.Bind("$original", original);
        if (Run(statement) == 0)
        {
            ticket.Version = original;
            throw new StoreConflictException($"Ticket {ticket.TicketId} changed since it was read");
        }
        InsertChildren(ticket, eventsBefore, messagesBefore);
    }

    /// <summary>Saves the requester's bucket: a new one, or the one read at <paramref name="readAt"/> if it still is.</summary>
    public void SaveBucket(RateBucket bucket, DateTimeOffset? readAt)
    {
        if (readAt is null)
        {
            Insert(_maps.Buckets, "insert-bucket", bucket);
            return;
        }
        var statement = Prepared("update-bucket", () => _maps.Buckets.UpdateSql);
        _maps.Buckets.BindUpdate(statement, bucket);
        statement.Bind("$original", _maps.Buckets["UpdatedAt"].ToStore(readAt.Value));
        if (Run(statement) == 0)
        {
            throw new StoreConflictException($"Rate bucket of {bucket.RequesterKey} changed since it was read");
        }
    }

    public void FlagForReview(string accountId)
    {
        Run(Command("flag", ("$a", accountId)));
    }

    public void InsertAppeal(Appeal appeal) => Insert(_maps.Appeals, "insert-appeal", appeal);

    private void InsertChildren(Ticket ticket, int eventsFrom, int messagesFrom)
    {
        var eventSeq = _maps.Events["TicketSeq"];
        for (var i = eventsFrom; i < ticket.Events.Count; i++)
        {
            var e = ticket.Events[i];
            eventSeq.Write(e, ticket.Seq);
            _maps.Events.Key.Write(e, Insert(_maps.Events, "insert-event", e));
        }
        var messageSeq = _maps.Messages["TicketSeq"];
        for (var i = messagesFrom; i < ticket.Messages.Count; i++)
        {
            var m = ticket.Messages[i];
            messageSeq.Write(m, ticket.Seq);
            _maps.Messages.Key.Write(m, Insert(_maps.Messages, "insert-message", m));
        }
    }

    /// <summary>Inserts the entity; the store-made key when there is one.</summary>
    private object? Insert<T>(RowMap<T> map, string name, T entity) where T : class
    {
        var statement = Prepared(name, () => map.InsertSql);
        map.BindInsert(statement, entity);
        Run(statement, map.Table);
        return map.KeyGenerated ? statement.LastInsertRowId() : null;
    }

    /// <summary>Runs a statement; a broken constraint (a key another intake took) is a lost race.</summary>
    private static int Run(RawStatement statement, string? table = null)
    {
        try
        {
            return statement.Execute();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteSettings.ConstraintError)
        {
            throw new StoreConflictException(table is null ? ex.Message : $"{table}: {ex.Message}", ex);
        }
    }

    private T? One<T>(RowMap<T> map, string name, params (string Name, object? Value)[] args) where T : class
    {
        var statement = Command(name, args);
        try
        {
            return statement.Step() ? map.Materialize(statement) : null;
        }
        finally
        {
            statement.Reset();
        }
    }

    private List<T> Many<T>(RowMap<T> map, string name, params (string Name, object? Value)[] args) where T : class
    {
        var statement = Command(name, args);
        try
        {
            var rows = new List<T>();
            while (statement.Step())
            {
                rows.Add(map.Materialize(statement));
            }
            return rows;
        }
        finally
        {
            statement.Reset();
        }
    }

    // LIMIT takes a literal: with a bound LIMIT, SQLite re-plans the statement at every step (≈ 30 µs each time).
    private string Limited(string name, int limit)
    {
        if (!_limited.TryGetValue((name, limit), out var key))
        {
            key = $"{name}/{limit}";
            _limited[(name, limit)] = key;
            _localSql[key] = _maps.Sql[name].Replace("{limit}", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return key;
    }

    private RawStatement Command(string name, params (string Name, object? Value)[] args)
    {
        var statement = Prepared(name, () => _localSql.TryGetValue(name, out var local) ? local : _maps.Sql[name]);
        foreach (var (n, v) in args)
        {
            statement.Bind(n, v);
        }
        return statement;
    }

    private RawStatement Prepared(string name, Func<string> sql)
    {
        if (!_statements.TryGetValue(name, out var statement))
        {
            statement = new RawStatement(_connection.Handle!, sql());
            _statements[name] = statement;
        }
        return statement;
    }

    public void Dispose()
    {
        // Finalized before the connection goes back to its pool: a statement left prepared would outlive the session.
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }
        _connection.Dispose();
    }
}
