using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data.Embedded;

/// <summary>
/// The embedded store's writer session with a memory of the requesters it served lately. Every intake
/// runs on that one connection (<c>IntakeCommitter</c>), so what the gate reads about a requester — the
/// account, its orders, their appeals of the last day, their tickets, their rate bucket — changes only by
/// the writer's own writes, which pass through here and update the copies, or by a commit on another
/// connection (an agent's reply, the directory, the SLA sweep, another process), which SQLite's
/// <c>data_version</c> shows at the start of the next batch and which forgets every copy. A requester's
/// next appeal then reads from the store only what others change (the same-text count) and the
/// idempotency key. Copies are made through the stored form, so each is what reading the row back
/// would give; a write that fails, or a batch that does not commit, forgets them all.
/// Not thread-safe: the writer's, like the session it wraps.
/// </summary>
public sealed class CachingIntakeSession : IIntakeSession
{
    /// <summary>A requester with more appeals than this in the window is read from the store each time.</summary>
    private const int AppealTimesKept = 64;

    private readonly IntakeSession _store;
    private readonly EmbeddedIntakeStore.Maps _maps;
    private readonly int _capacity;
    private readonly bool _verify;
    private readonly Dictionary<string, Requester?> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string AccountId, int Limit), List<Order>> _orders = [];
    private readonly Dictionary<string, Entry> _requesters = new(StringComparer.Ordinal);
    private long? _dataVersion;

    /// <param name="capacity">Requesters (and accounts) remembered before all are forgotten; 0 remembers none.</param>
    /// <param name="verify">Every answer from memory is checked against the store (tests): a difference throws.</param>
    public CachingIntakeSession(IntakeSession store, int capacity, bool verify = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _store = store;
        _maps = store.Maps;
        _capacity = capacity;
        _verify = verify;
    }

    /// <summary>Reads answered from memory.</summary>
    public long Hits { get; private set; }

    /// <summary>Reads that went to the store (and were remembered if they could be).</summary>
    public long Misses { get; private set; }

    /// <summary>How many times every copy was dropped.</summary>
    public long Forgotten { get; private set; }

    public int Remembered => _requesters.Count;

    /// <summary>
    /// Called inside each batch's transaction before its first intake: once the writer holds the store,
    /// nobody else can commit until it is done, so what <c>data_version</c> says now holds for the batch.
    /// </summary>
    public void BatchStarted()
    {
        if (_capacity == 0)
        {
            return;
        }
        var version = _store.DataVersion();
        if (_dataVersion != version)
        {
            if (_dataVersion is not null)
            {
                Forget();
            }
            _dataVersion = version;
        }
        if (_requesters.Count > _capacity || _accounts.Count > _capacity || _orders.Count > _capacity)
        {
            Forget();
        }
    }

    /// <summary>Drops every copy: after a write that failed or a batch that did not commit.</summary>
    public void Forget()
    {
        if (_requesters.Count + _accounts.Count + _orders.Count > 0)
        {
            Forgotten++;
        }
        _requesters.Clear();
        _accounts.Clear();
        _orders.Clear();
    }

    // ---- reads ----

    public async ValueTask<Requester?> RequesterAsync(string accountId, CancellationToken ct)
    {
        if (_capacity == 0)
        {
            return await _store.RequesterAsync(accountId, ct);
        }
        if (_accounts.TryGetValue(accountId, out var known))
        {
            Hits++;
            if (_verify && !_maps.Requesters.SameRow(known, await _store.RequesterAsync(accountId, ct)))
            {
                throw Diverged("account " + accountId);
            }
            return known;
        }
        Misses++;
        var read = await _store.RequesterAsync(accountId, ct);
        _accounts[accountId] = read;
        return read;
    }

    public async ValueTask<List<Order>> RecentOrdersAsync(string accountId, int limit, CancellationToken ct)
    {
        if (_capacity == 0)
        {
            return await _store.RecentOrdersAsync(accountId, limit, ct);
        }
        if (_orders.TryGetValue((accountId, limit), out var known))
        {
            Hits++;
            if (_verify && !SameRows(_maps.ListedOrders, known, await _store.RecentOrdersAsync(accountId, limit, ct)))
            {
                throw Diverged("orders of " + accountId);
            }
            return [.. known];
        }
        Misses++;
        var read = await _store.RecentOrdersAsync(accountId, limit, ct);
        _orders[(accountId, limit)] = [.. read];
        return read;
    }

    public async ValueTask<(int Count, DateTimeOffset? Oldest)> AppealsSinceAsync(string requesterKey, DateTimeOffset since, CancellationToken ct)
    {
        if (_capacity == 0)
        {
            return await _store.AppealsSinceAsync(requesterKey, since, ct);
        }
        var entry = EntryOf(requesterKey);
        var from = since.UtcTicks;
        if (entry.AppealTimes is { } times && from >= entry.AppealsFrom)
        {
            Hits++;
            // Times before this window cannot count again: a later appeal asks about a later window.
            times.RemoveRange(0, FirstAtOrAfter(times, from));
            entry.AppealsFrom = from;
            var answer = Summary(times);
            if (_verify && answer != await _store.AppealsSinceAsync(requesterKey, since, ct))
            {
                throw Diverged("appeals of " + requesterKey);
            }
            return answer;
        }
        Misses++;
        if (entry.ManyAppeals)
        {
            // Counted by the store until the window holds few enough again.
            var counted = await _store.AppealsSinceAsync(requesterKey, since, ct);
            entry.ManyAppeals = counted.Count > AppealTimesKept / 2;
            return counted;
        }
        var read = _store.AppealTimes(requesterKey, since, AppealTimesKept + 1);
        if (read.Count > AppealTimesKept)
        {
            entry.AppealTimes = null;
            entry.ManyAppeals = true;
            return await _store.AppealsSinceAsync(requesterKey, since, ct);
        }
        entry.AppealTimes = read;
        entry.AppealsFrom = from;
        return Summary(read);
    }

    public async ValueTask<List<TicketFacts>> TicketsAsync(string requesterKey, DateTimeOffset updatedSince, int limit, CancellationToken ct)
    {
        if (_capacity == 0)
        {
            return await _store.TicketsAsync(requesterKey, updatedSince, limit, ct);
        }
        var entry = EntryOf(requesterKey);
        var from = updatedSince.UtcTicks;
        if (entry.Tickets is { } tickets && entry.TicketLimit == limit && from >= entry.TicketsFrom)
        {
            Hits++;
            // Closed long ago stays out of every later window, unless this writer reopens it (which puts it back).
            tickets.RemoveAll(t => !Listed(t, from));
            entry.TicketsFrom = from;
            List<TicketFacts> answer = [.. tickets]; // the facts are immutable: the list is the caller's, its items shared
            answer.Sort(NewestFirst);
            if (_verify && !answer.SequenceEqual(await _store.TicketsAsync(requesterKey, updatedSince, limit, ct)))
            {
                throw Diverged("tickets of " + requesterKey);
            }
            return answer;
        }
        Misses++;
        var read = await _store.TicketsAsync(requesterKey, updatedSince, limit, ct);
        // A full page may leave older ones out: such a requester is read from the store each time.
        entry.Tickets = read.Count < limit ? [.. read] : null;
        entry.TicketsFrom = from;
        entry.TicketLimit = limit;
        return read;
    }

    public async ValueTask<RateBucket?> RateBucketAsync(string requesterKey, CancellationToken ct)
    {
        if (_capacity == 0)
        {
            return await _store.RateBucketAsync(requesterKey, ct);
        }
        var entry = EntryOf(requesterKey);
        if (entry.BucketKnown)
        {
            Hits++;
            var known = entry.HasBucket ? RateBucket.Restore(requesterKey, entry.BucketTokens, entry.BucketUpdatedAt) : null;
            if (_verify && !_maps.Buckets.SameRow(known, await _store.RateBucketAsync(requesterKey, ct)))
            {
                throw Diverged("rate bucket of " + requesterKey);
            }
            return known;
        }
        Misses++;
        var read = await _store.RateBucketAsync(requesterKey, ct);
        entry.KeepBucket(read); // its values, not the object the caller will spend: no copy needed
        return read;
    }

    // What others change, or read once an appeal: always from the store.
    public ValueTask<Identity?> IdentityAsync(IdentityKind kind, string value, CancellationToken ct) => _store.IdentityAsync(kind, value, ct);

    public ValueTask<Requester?> RequesterByContactAsync(IdentityKind kind, string value, CancellationToken ct) => _store.RequesterByContactAsync(kind, value, ct);

    public ValueTask<Order> WholeOrderAsync(Order listed, CancellationToken ct) => _store.WholeOrderAsync(listed, ct);

    public ValueTask<Order?> OrderAsync(string number, CancellationToken ct) => _store.OrderAsync(number, ct);

    public ValueTask<int> OtherRequestersWithTextAsync(long fingerprint, DateTimeOffset since, string requesterKey, int atMost, CancellationToken ct) =>
        _store.OtherRequestersWithTextAsync(fingerprint, since, requesterKey, atMost, ct);

    public ValueTask LockRequesterAsync(long key, CancellationToken ct) => ((IIntakeSession)_store).LockRequesterAsync(key, ct);

    public ValueTask<Appeal?> FindAppealAsync(string clientName, string idempotencyKey, CancellationToken ct) => new(_store.FindAppeal(clientName, idempotencyKey));

    public ValueTask<Ticket?> FullTicketAsync(long seq, CancellationToken ct) => new(_store.FullTicket(seq));

    // ---- writes: to the store first, then to the copies ----

    public ValueTask InsertTicketAsync(Ticket ticket, CancellationToken ct)
    {
        _store.InsertTicket(ticket);
        Remember(ticket);
        return default;
    }

    public ValueTask UpdateTicketAsync(Ticket ticket, int eventsBefore, int messagesBefore, CancellationToken ct)
    {
        _store.UpdateTicket(ticket, eventsBefore, messagesBefore);
        Remember(ticket);
        return default;
    }

    public ValueTask SaveBucketAsync(RateBucket bucket, DateTimeOffset? readAt, CancellationToken ct)
    {
        _store.SaveBucket(bucket, readAt);
        if (_capacity > 0)
        {
            EntryOf(bucket.RequesterKey).KeepBucket(_maps.Buckets.Copy(bucket));
        }
        return default;
    }

    public ValueTask FlagForReviewAsync(string accountId, CancellationToken ct)
    {
        _store.FlagForReview(accountId);
        _accounts.Remove(accountId);
        return default;
    }

    public ValueTask InsertAppealAsync(Appeal appeal, CancellationToken ct)
    {
        _store.InsertAppeal(appeal);
        if (_requesters.TryGetValue(appeal.RequesterKey, out var entry) && entry.AppealTimes is { } times)
        {
            var at = appeal.CreatedAt.UtcTicks;
            if (at >= entry.AppealsFrom)
            {
                times.Insert(FirstAfter(times, at), at);
                if (times.Count > AppealTimesKept)
                {
                    entry.AppealTimes = null;
                    entry.ManyAppeals = true;
                }
            }
        }
        return default;
    }

    private void Remember(Ticket ticket)
    {
        if (!_requesters.TryGetValue(ticket.RequesterKey, out var entry) || entry.Tickets is not { } tickets)
        {
            return;
        }
        tickets.RemoveAll(t => t.Seq == ticket.Seq);
        // Through the stored form (what reading the row back gives: its times in UTC, say), then kept as facts only.
        tickets.Add(_maps.TicketFacts.Copy(ticket).Facts());
        if (tickets.Count >= entry.TicketLimit)
        {
            entry.Tickets = null; // a full page again: back to the store
        }
    }

    private Entry EntryOf(string requesterKey)
    {
        if (!_requesters.TryGetValue(requesterKey, out var entry))
        {
            entry = new Entry();
            _requesters[requesterKey] = entry;
        }
        return entry;
    }

    // The store's own question: open and pending tickets, and the others changed since then.
    private static bool Listed(TicketFacts t, long from) =>
        t.Status is TicketStatus.Open or TicketStatus.Pending || t.UpdatedAt.UtcTicks >= from;

    // ORDER BY "UpdatedAt" DESC over the index on (requester, last change): ties come newest row first.
    private static int NewestFirst(TicketFacts a, TicketFacts b)
    {
        var byChange = b.UpdatedAt.UtcTicks.CompareTo(a.UpdatedAt.UtcTicks);
        return byChange != 0 ? byChange : b.Seq.CompareTo(a.Seq);
    }

    private (int, DateTimeOffset?) Summary(List<long> times) =>
        (times.Count, times.Count == 0 ? null : (DateTimeOffset)_maps.Appeals["CreatedAt"].FromStore(times[0]));

    private static int FirstAtOrAfter(List<long> sorted, long value)
    {
        var i = sorted.BinarySearch(value);
        if (i < 0)
        {
            return ~i;
        }
        while (i > 0 && sorted[i - 1] == value)
        {
            i--;
        }
        return i;
    }

    private static int FirstAfter(List<long> sorted, long value)
    {
        var i = FirstAtOrAfter(sorted, value);
        while (i < sorted.Count && sorted[i] == value)
        {
            i++;
        }
        return i;
    }

    private static bool SameRows<T>(RowMap<T> map, List<T> a, List<T> b) where T : class
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!map.SameRow(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static InvalidOperationException Diverged(string what) =>
        new($"The writer's copy of the {what} differs from the store");

    private sealed class Entry
    {
        // The requester's appeal times (UTC ticks, oldest first), all of those at or after AppealsFrom; null: not kept.
        public List<long>? AppealTimes;
        public long AppealsFrom;

        // More than AppealTimesKept in the window when last read: the store counts them (a flood, a script).
        public bool ManyAppeals;

        // Every ticket the store's question would list from TicketsFrom on, fewer than TicketLimit; null: not kept.
        // Kept as the gate's facts, not whole tickets: they live as long as the requester is remembered (into the
        // oldest generation of the heap), and a whole ticket with its empty message and event lists is ≈ 3 times larger.
        public List<TicketFacts>? Tickets;
        public long TicketsFrom;
        public int TicketLimit;

        // The rate bucket as stored (HasBucket false: the store has none), in fields of the entry rather than as an
        // object: it changes with nearly every appeal, and a new copy each time — held by an entry long since in the
        // oldest generation, so promoted by the next collection — plus a copy through the row map (boxing each
        // column) on every read came to ≈ 4 % of the bytes an appeal allocates.
        public bool BucketKnown;
        public bool HasBucket;
        public double BucketTokens;
        public DateTimeOffset BucketUpdatedAt;

        /// <param name="stored">The bucket as read from the store or copied through its stored form; null when the store has none.</param>
        public void KeepBucket(RateBucket? stored)
        {
            BucketKnown = true;
            HasBucket = stored is not null;
            BucketTokens = stored?.Tokens ?? 0;
            BucketUpdatedAt = stored?.UpdatedAt ?? default;
        }
    }
}
