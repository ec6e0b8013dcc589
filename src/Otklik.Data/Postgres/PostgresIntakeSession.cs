using Npgsql;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;
using Otklik.Data.Embedded;

namespace Otklik.Data.Postgres;

/// <summary>
/// One appeal's transaction on PostgreSQL: the gate's reads and the appeal's writes as plain
/// statements on one connection, committed by <see cref="CommitAsync"/> or rolled back on disposal.
/// Round trips are what an appeal costs here (each one a send, a wake-up and a receive on both
/// sides), so statements travel together: the transaction's BEGIN with the first of them; the
/// requester's lock, the appeal's idempotency check and the gate's questions about the requester in
/// one batch; every write whose result nobody waits for with the COMMIT. Not thread-safe: one intake each.
/// </summary>
public sealed class PostgresIntakeSession : IIntakeSession, IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly PostgresIntakeStore.Maps _maps;
    private readonly List<Deferred> _deferred = [];
    private readonly string? _replayClient;
    private readonly string? _replayKey;
    private long? _lock;
    private long? _lockedKey;
    private bool _locked;

    // The requester's history sent early (Prefetch), and what came back.
    private HistoryQuery? _prefetch;
    private HistoryQuery? _prefetchInBatch;
    private (HistoryQuery Query, RequesterHistory History)? _prefetched;

    // The transaction is this session's own BEGIN and COMMIT, sent with other statements: an
    // NpgsqlTransaction would commit in a round trip of its own.
    private bool _begun;
    private bool _committed;

    // The idempotency check of the appeal this session is for, sent with the first batch that holds the lock.
    private bool _replayInBatch;
    private bool _replayRead;
    private Appeal? _replay;

    internal PostgresIntakeSession(NpgsqlConnection connection, PostgresIntakeStore.Maps maps, string? clientName, string? idempotencyKey)
    {
        _connection = connection;
        _maps = maps;
        _replayClient = clientName;
        _replayKey = idempotencyKey;
    }

    /// <summary>Taken in the same round trip as the next statement, which runs after it holds; once per key.</summary>
    public ValueTask LockRequesterAsync(long key, CancellationToken ct)
    {
        if (_lockedKey != key)
        {
            _lock = key;
        }
        return default;
    }

    /// <summary>
    /// Sends the requester's history with the next batch that holds their lock, ahead of whatever that
    /// batch was for; <see cref="HistoryAsync"/> with an equal query is then answered from it.
    /// </summary>
    public void Prefetch(HistoryQuery query) => _prefetch = query;

    public ValueTask<Requester?> RequesterAsync(string accountId, CancellationToken ct) =>
        OneAsync(_maps.Requesters, Statement(_maps.RequesterById, accountId), ct);

    public ValueTask<Identity?> IdentityAsync(IdentityKind kind, string value, CancellationToken ct) =>
        OneAsync(_maps.Identities, Statement(_maps.IdentityByValue, _maps.Identities["Kind"].ToStore(kind), value), ct);

    public ValueTask<Requester?> RequesterByContactAsync(IdentityKind kind, string value, CancellationToken ct) => kind switch
    {
        IdentityKind.Phone => OneAsync(_maps.Requesters, Statement(_maps.ByPhone, value), ct),
        IdentityKind.Email => OneAsync(_maps.Requesters, Statement(_maps.ByEmail, value), ct),
        _ => new((Requester?)null),
    };

    public ValueTask<List<Order>> RecentOrdersAsync(string accountId, int limit, CancellationToken ct) =>
        ManyAsync(_maps.ListedOrders, RecentOrders(accountId, limit), ct);

    public async ValueTask<Order> WholeOrderAsync(Order listed, CancellationToken ct) =>
        await OneAsync(_maps.Orders, OrderByNumber(listed.Number), ct).ConfigureAwait(false)
            ?? throw new StoreConflictException($"Order {listed.Number} is gone");

    public ValueTask<Order?> OrderAsync(string number, CancellationToken ct) =>
        OneAsync(_maps.Orders, OrderByNumber(number), ct);

    public async ValueTask<(int Count, DateTimeOffset? Oldest)> AppealsSinceAsync(string requesterKey, DateTimeOffset since, CancellationToken ct)
    {
        await using var batch = Batch();
        batch.BatchCommands.Add(AppealsSince(requesterKey, since));
        await using var reader = await ExecuteAsync(batch, ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var count = (int)reader.GetInt64(0);
        return (count, count == 0 ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async ValueTask<int> OtherRequestersWithTextAsync(long fingerprint, DateTimeOffset since, string requesterKey, int atMost, CancellationToken ct)
    {
        await using var batch = Batch();
        batch.BatchCommands.Add(SameText(fingerprint, since, requesterKey, atMost));
        await using var reader = await ExecuteAsync(batch, ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return (int)reader.GetInt64(0);
    }

    /// <summary>The requester's tickets as the gate sees them (<see cref="Ticket.Facts"/>).</summary>
    public async ValueTask<List<TicketFacts>> TicketsAsync(string requesterKey, DateTimeOffset updatedSince, int limit, CancellationToken ct) =>
        (await ManyAsync(_maps.TicketFacts, RequesterTickets(requesterKey, updatedSince, limit), ct).ConfigureAwait(false)).ConvertAll(t => t.Facts());

    public ValueTask<RateBucket?> RateBucketAsync(string requesterKey, CancellationToken ct) =>
        OneAsync(_maps.Buckets, Statement(_maps.BucketOf, requesterKey), ct);

    /// <summary>For the session's own appeal, answered from the batch that took the lock when there was one.</summary>
    public async ValueTask<Appeal?> FindAppealAsync(string clientName, string idempotencyKey, CancellationToken ct)
    {
        if (clientName != _replayClient || idempotencyKey != _replayKey)
        {
            return await OneAsync(_maps.Appeals, Statement(_maps.Idempotency, clientName, idempotencyKey), ct).ConfigureAwait(false);
        }
        if (!_replayRead)
        {
            await using var batch = Batch();
            if (!_replayInBatch)
            {
                // Not yet holding the requester: asked on its own now, kept like the early one.
                _replayInBatch = true;
                batch.BatchCommands.Add(Statement(_maps.Idempotency, clientName, idempotencyKey));
            }
            await using var reader = await ExecuteAsync(batch, ct).ConfigureAwait(false);
        }
        return _replay;
    }

    public async ValueTask<RequesterHistory> HistoryAsync(HistoryQuery query, CancellationToken ct)
    {
        if (_prefetched is { } early && early.Query == query)
        {
            return early.History;
        }
        await using var batch = Batch();
        AddHistory(batch, query);
        await using var reader = await ExecuteAsync(batch, ct).ConfigureAwait(false);
        return await ReadHistoryAsync(reader, query, ct).ConfigureAwait(false);
    }

    // The single questions above, as HistoryAsync asks them together.
    private void AddHistory(NpgsqlBatch batch, HistoryQuery query)
    {
        if (query.AccountId is { } account)
        {
            batch.BatchCommands.Add(RecentOrders(account, query.OrderLimit));
        }
        batch.BatchCommands.Add(AppealsSince(query.RequesterKey, query.AppealsSince));
        if (query.Fingerprint is { } fingerprint)
        {
            batch.BatchCommands.Add(SameText(fingerprint, query.TextSince, query.RequesterKey, query.TextAtMost));
        }
        batch.BatchCommands.Add(RequesterTickets(query.RequesterKey, query.TicketsSince, query.TicketLimit));
        batch.BatchCommands.Add(Statement(_maps.BucketOf, query.RequesterKey));
        if (query.OrderNumber is { } number)
        {
            batch.BatchCommands.Add(OrderByNumber(number));
        }
    }

    private NpgsqlBatchCommand RecentOrders(string accountId, int limit) => Statement(_maps.RecentOrders, accountId, limit);

    private NpgsqlBatchCommand OrderByNumber(string number) => Statement(_maps.OrderByNumber, number);

    private NpgsqlBatchCommand AppealsSince(string requesterKey, DateTimeOffset since) =>
        Statement(_maps.AppealsSince, requesterKey, _maps.Appeals["CreatedAt"].ToStore(since));

    private NpgsqlBatchCommand SameText(long fingerprint, DateTimeOffset since, string requesterKey, int atMost) =>
        Statement(_maps.SameText, fingerprint, _maps.Appeals["CreatedAt"].ToStore(since), requesterKey, atMost);

    private NpgsqlBatchCommand RequesterTickets(string requesterKey, DateTimeOffset updatedSince, int limit)
    {
        var status = _maps.Tickets["Status"];
        return Statement(_maps.RequesterTickets, requesterKey, status.ToStore(TicketStatus.Open), status.ToStore(TicketStatus.Pending),
            _maps.Tickets["UpdatedAt"].ToStore(updatedSince), limit);
    }

    // Reads AddHistory's results from the reader's current one on, leaving it on the last.
    private async ValueTask<RequesterHistory> ReadHistoryAsync(NpgsqlDataReader reader, HistoryQuery query, CancellationToken ct)
    {
        var orders = query.AccountId is null ? [] : await RowsAsync(_maps.ListedOrders, reader, ct).ConfigureAwait(false);
        await NextAsync(reader, query.AccountId is not null, ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var count = (int)reader.GetInt64(0);
        DateTimeOffset? oldest = count == 0 ? null : reader.GetFieldValue<DateTimeOffset>(1);
        var sameText = 0;
        if (query.Fingerprint is not null)
        {
            await NextAsync(reader, true, ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            sameText = (int)reader.GetInt64(0);
        }
        await NextAsync(reader, true, ct).ConfigureAwait(false);
        var tickets = (await RowsAsync(_maps.TicketFacts, reader, ct).ConfigureAwait(false)).ConvertAll(t => t.Facts());
        await NextAsync(reader, true, ct).ConfigureAwait(false);
        var bucket = await reader.ReadAsync(ct).ConfigureAwait(false) ? _maps.Buckets.Materialize(reader) : null;
        Order? named = null;
        if (query.OrderNumber is not null)
        {
            await NextAsync(reader, true, ct).ConfigureAwait(false);
            named = await reader.ReadAsync(ct).ConfigureAwait(false) ? _maps.Orders.Materialize(reader) : null;
        }
        return new RequesterHistory(orders, count, oldest, sameText, tickets, bucket, named);
    }

    public ValueTask<Ticket?> FullTicketAsync(long seq, CancellationToken ct) =>
        OneAsync(_maps.Tickets, Statement(_maps.TicketBySeq, seq), ct);

    public async ValueTask InsertTicketAsync(Ticket ticket, CancellationToken ct)
    {
        var seq = await InsertAsync(_maps.Tickets, _maps.InsertTicket, ticket, ct).ConfigureAwait(false);
        _maps.Tickets.Key.Write(ticket, seq);
        DeferChildren(ticket, 0, 0);
    }

    public ValueTask UpdateTicketAsync(Ticket ticket, int eventsBefore, int messagesBefore, CancellationToken ct)
    {
        var original = ticket.Version;
        ticket.Version = original + 1;
        var update = Row(_maps.UpdateTicket, _maps.Tickets.Columns, ticket);
        update.Parameters.Add(new NpgsqlParameter { Value = original });
        _deferred.Add(new Deferred(update, $"Ticket {ticket.TicketId} changed since it was read"));
        DeferChildren(ticket, eventsBefore, messagesBefore);
        return default;
    }

    public ValueTask SaveBucketAsync(RateBucket bucket, DateTimeOffset? readAt, CancellationToken ct)
    {
        if (_locked)
        {
            // Only intakes write a bucket, each holding its requester's lock from the read to the commit: this
            // one is as it was read, whether it existed or not, and is saved without a check that needs an answer.
            _deferred.Add(new Deferred(Row(_maps.UpsertBucket, _maps.Buckets.InsertedColumns, bucket), null));
            return default;
        }
        if (readAt is null)
        {
            _deferred.Add(new Deferred(Row(_maps.InsertBucket, _maps.Buckets.InsertedColumns, bucket), null));
            return default;
        }
        var update = Row(_maps.UpdateBucket, _maps.Buckets.Columns, bucket);
        update.Parameters.Add(new NpgsqlParameter { Value = _maps.Buckets["UpdatedAt"].ToStore(readAt.Value) });
        _deferred.Add(new Deferred(update, $"Rate bucket of {bucket.RequesterKey} changed since it was read"));
        return default;
    }

    public ValueTask FlagForReviewAsync(string accountId, CancellationToken ct)
    {
        _deferred.Add(new Deferred(Statement(_maps.Flag, accountId), null));
        return default;
    }

    public ValueTask InsertAppealAsync(Appeal appeal, CancellationToken ct)
    {
        _deferred.Add(new Deferred(Row(_maps.InsertAppeal, _maps.Appeals.InsertedColumns, appeal), null));
        return default;
    }

    /// <summary>
    /// Sends the writes nobody waited for and commits, in one round trip — two when a write must be seen to
    /// change its row (a ticket saved against its version) before the commit. A failed statement stops the
    /// rest of its batch in PostgreSQL, the COMMIT included.
    /// </summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (!_begun && _deferred.Count == 0)
        {
            _committed = true; // nothing was read or written
            return;
        }
        if (_deferred.Exists(d => d.Conflict is not null))
        {
            await FlushAsync(ct).ConfigureAwait(false);
        }
        await using var batch = WriteBatch();
        foreach (var deferred in _deferred)
        {
            batch.BatchCommands.Add(deferred.Command);
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await RunAsync(batch, ct).ConfigureAwait(false);
        _deferred.Clear();
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_begun && !_committed && _connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var rollback = new NpgsqlCommand("ROLLBACK", _connection);
                await rollback.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // A broken connection: PostgreSQL ended the transaction with it, and the pool drops it.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A ticket's new events and messages: nothing reads their numbers during the intake.
    private void DeferChildren(Ticket ticket, int eventsFrom, int messagesFrom)
    {
        var eventSeq = _maps.Events["TicketSeq"];
        for (var i = eventsFrom; i < ticket.Events.Count; i++)
        {
            var e = ticket.Events[i];
            eventSeq.Write(e, ticket.Seq);
            _deferred.Add(new Deferred(Row(_maps.InsertEvent, _maps.Events.InsertedColumns, e), null));
        }
        var messageSeq = _maps.Messages["TicketSeq"];
        for (var i = messagesFrom; i < ticket.Messages.Count; i++)
        {
            var m = ticket.Messages[i];
            messageSeq.Write(m, ticket.Seq);
            _deferred.Add(new Deferred(Row(_maps.InsertMessage, _maps.Messages.InsertedColumns, m), null));
        }
    }

    private async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_deferred.Count == 0)
        {
            return;
        }
        await using var batch = WriteBatch();
        foreach (var deferred in _deferred)
        {
            batch.BatchCommands.Add(deferred.Command);
        }
        await RunAsync(batch, ct).ConfigureAwait(false);
        foreach (var deferred in _deferred)
        {
            if (deferred.Conflict is { } conflict && deferred.Command.RecordsAffected == 0)
            {
                throw new StoreConflictException(conflict);
            }
        }
        _deferred.Clear();
    }

    // Writes only, in order; what lost a race is told apart from what failed.
    private async ValueTask RunAsync(NpgsqlBatch batch, CancellationToken ct)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (IsLostRace(ex))
        {
            throw new StoreConflictException(ex.MessageText, ex);
        }
    }

    // A batch that begins the transaction if nothing has yet.
    private NpgsqlBatch WriteBatch()
    {
        var batch = new NpgsqlBatch(_connection);
        if (!_begun)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            _begun = true; // on failure the session is dropped: its ROLLBACK then ends whatever began
        }
        return batch;
    }

    // A batch that takes the requester's lock when one is due (the statements after it run holding it)
    // and, once the requester is held, checks the appeal's idempotency key until that has been read and
    // sends the history asked for early; ExecuteAsync begins the transaction with it if nothing has yet.
    private NpgsqlBatch Batch()
    {
        var batch = new NpgsqlBatch(_connection);
        if (_lock is { } key)
        {
            batch.BatchCommands.Add(Statement("SELECT pg_advisory_xact_lock($1)", key));
        }
        var held = _lock is not null || _locked;
        _replayInBatch = held && _replayClient is not null && !_replayRead;
        if (_replayInBatch)
        {
            batch.BatchCommands.Add(Statement(_maps.Idempotency, _replayClient, _replayKey));
        }
        _prefetchInBatch = held ? _prefetch : null;
        if (_prefetchInBatch is { } early)
        {
            _prefetch = null;
            AddHistory(batch, early);
        }
        return batch;
    }

    // Executes a batch from Batch() after the deferred writes: past the lock's empty row, the idempotency
    // check and the early history (both kept), at the caller's first result.
    private async ValueTask<NpgsqlDataReader> ExecuteAsync(NpgsqlBatch batch, CancellationToken ct)
    {
        await FlushAsync(ct).ConfigureAwait(false);
        if (!_begun)
        {
            batch.BatchCommands.Insert(0, new NpgsqlBatchCommand("BEGIN"));
            _begun = true;
        }
        var locking = _lock is not null;
        var key = _lock;
        _lock = null;
        var replay = _replayInBatch;
        _replayInBatch = false;
        var early = _prefetchInBatch;
        _prefetchInBatch = null;
        var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (locking)
        {
            _locked = true;
            _lockedKey = key;
            await reader.NextResultAsync(ct).ConfigureAwait(false);
        }
        if (replay)
        {
            _replay = await reader.ReadAsync(ct).ConfigureAwait(false) ? _maps.Appeals.Materialize(reader) : null;
            _replayRead = true;
            await reader.NextResultAsync(ct).ConfigureAwait(false);
        }
        if (early is not null)
        {
            _prefetched = (early, await ReadHistoryAsync(reader, early, ct).ConfigureAwait(false));
            await reader.NextResultAsync(ct).ConfigureAwait(false);
        }
        return reader;
    }

    private static async ValueTask NextAsync(NpgsqlDataReader reader, bool advance, CancellationToken ct)
    {
        if (advance && !await reader.NextResultAsync(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The batch returned fewer results than it has statements");
        }
    }

    private static async ValueTask<List<T>> RowsAsync<T>(RowMap<T> map, NpgsqlDataReader reader, CancellationToken ct) where T : class
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(map.Materialize(reader));
        }
        return rows;
    }

    /// <summary>Inserts the entity now (after the deferred writes), for the key the store makes.</summary>
    private async ValueTask<object?> InsertAsync<T>(RowMap<T> map, string sql, T entity, CancellationToken ct) where T : class
    {
        await using var batch = Batch();
        batch.BatchCommands.Add(Row(sql, map.InsertedColumns, entity));
        try
        {
            await using var reader = await ExecuteAsync(batch, ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return reader.GetValue(0);
        }
        catch (PostgresException ex) when (IsLostRace(ex))
        {
            throw new StoreConflictException($"{map.Table}: {ex.MessageText}", ex);
        }
    }

    // A unique key taken meanwhile by another node, a deadlock or a serialization failure: decide again.
    private static bool IsLostRace(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private async ValueTask<T?> OneAsync<T>(RowMap<T> map, NpgsqlBatchCommand statement, CancellationToken ct) where T : class
    {
        await using var batch = Batch();
        batch.BatchCommands.Add(statement);
        await using var reader = await ExecuteAsync(batch, ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? map.Materialize(reader) : null;
    }

    private async ValueTask<List<T>> ManyAsync<T>(RowMap<T> map, NpgsqlBatchCommand statement, CancellationToken ct) where T : class
    {
        await using var batch = Batch();
        batch.BatchCommands.Add(statement);
        await using var reader = await ExecuteAsync(batch, ct).ConfigureAwait(false);
        return await RowsAsync(map, reader, ct).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Statement(string sql, params object?[] args)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            statement.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        return statement;
    }

    // A row's columns as $1…$n, typed as the migrations declare them: a null then binds as the same type
    // as a value would, so the statement prepared on the connection is reused, not prepared again.
    private static NpgsqlBatchCommand Row<T>(string sql, IReadOnlyList<RowMap<T>.Column> columns, T entity) where T : class
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var column in columns)
        {
            statement.Parameters.Add(Parameter(column, entity));
        }
        return statement;
    }

    private static NpgsqlParameter Parameter<T>(RowMap<T>.Column column, T entity) where T : class =>
        new() { Value = column.Read(entity) ?? DBNull.Value, DataTypeName = column.StoreType };

    /// <summary>A write sent with the next round trip; <see cref="Conflict"/> says what it means when it changed no row.</summary>
    private sealed record Deferred(NpgsqlBatchCommand Command, string? Conflict);
}
