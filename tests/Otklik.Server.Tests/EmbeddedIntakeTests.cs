using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application;
using Otklik.Application.Appeals;
using Otklik.Core.Appeals;
using Otklik.Core.Text;
using Otklik.Data;
using Otklik.Data.Embedded;

namespace Otklik.Server.Tests;

/// <summary>
/// The embedded store's intake path (prepared statements, group commit) against EF Core: the same
/// rows either way, one failing write never takes its batch with it, and a burst lands whole.
/// </summary>
public sealed class EmbeddedIntakeTests : IDisposable
{
    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private bool Embedded => _factory.Services.GetService<IntakeCommitter>() is not null;

    [Fact]
    public async Task RowsWrittenByTheIntake_ReadBackThroughEfCore_AndTheSessionReadsWhatEfWrote()
    {
        var client = _factory.Integration();
        if (!Embedded)
        {
            return; // PostgreSQL run: PostgresIntakeTests covers its own path
        }
        var account = Api.NewId("a");
        await client.PutAccountAsync(account);
        await client.PutOrderAsync(account + "-o", account);
        var (response, body) = await client.PostAppealAsync(Api.Appeal(account, account + "-o"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticketId = body.Str("ticket.ticket_id");

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        var viaEf = await db.Tickets.AsNoTracking().Include(t => t.Messages).Include(t => t.Events).SingleAsync(t => t.TicketId == ticketId);
        var appealViaEf = await db.Appeals.AsNoTracking().SingleAsync(a => a.TicketId == ticketId);
        Assert.Equal(viaEf.Seq, long.Parse(body.Str("ticket.number")[2..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEmpty(viaEf.Messages);

        using var session = _factory.Services.GetRequiredService<EmbeddedIntakeStore>().Open();
        var seen = Assert.Single(await session.TicketsAsync("account:" + account, Api.Now.AddYears(-1), 10, CancellationToken.None));
        Assert.Equal(viaEf.Facts(), seen);
        var viaSession = session.FullTicket(seen.Seq)!;
        var appealViaSession = session.FindAppeal(appealViaEf.ClientName, appealViaEf.IdempotencyKey)!;
        foreach (var property in db.Model.FindEntityType(typeof(Otklik.Core.Tickets.Ticket))!.GetProperties())
        {
            Assert.Equal(property.PropertyInfo?.GetValue(viaEf) ?? property.FieldInfo?.GetValue(viaEf), property.PropertyInfo?.GetValue(viaSession) ?? property.FieldInfo?.GetValue(viaSession));
        }
        foreach (var property in db.Model.FindEntityType(typeof(Appeal))!.GetProperties())
        {
            Assert.Equal(property.PropertyInfo!.GetValue(appealViaEf), property.PropertyInfo.GetValue(appealViaSession));
        }
        // The JSON documents are bound as their UTF-8 bytes, and must still be text to SQLite, not blobs.
        var types = await db.Database.SqlQuery<string>(
            $"SELECT typeof(\"RequestJson\") || ' ' || typeof(\"DecisionJson\") || ' ' || typeof(\"ContextJson\") AS \"Value\" FROM appeals WHERE \"TicketId\" = {ticketId}").SingleAsync();
        Assert.Equal("text text text", types);
        Assert.Contains("\"outcome\":\"accepted\"", appealViaSession.DecisionJson.ToString(), StringComparison.Ordinal);
        var listed = Assert.Single(await session.RecentOrdersAsync(account, 10, CancellationToken.None));
        var orderViaSession = await session.WholeOrderAsync(listed, CancellationToken.None);
        var orderViaEf = await db.Orders.AsNoTracking().SingleAsync(o => o.Number == listed.Number);
        Assert.Equal((orderViaEf.Number, orderViaEf.Status, orderViaEf.CreatedAt), (listed.Number, listed.Status, listed.CreatedAt));
        foreach (var property in db.Model.FindEntityType(typeof(Otklik.Core.Orders.Order))!.GetProperties())
        {
            Assert.Equal(property.PropertyInfo!.GetValue(orderViaEf), property.PropertyInfo.GetValue(orderViaSession));
        }
    }

    [Fact]
    public async Task SendersOfTheSameText_AreCountedOnceEach_UpToTheLimit_AsEfCoreCountsThem()
    {
        var client = _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        // Three senders, each twice (the session tells senders apart itself, without SQL's DISTINCT).
        var text = "Где мой заказ, уже неделя прошла " + Api.NewId("t");
        var accounts = Enumerable.Range(0, 3).Select(_ => Api.NewId("a")).ToList();
        foreach (var account in accounts.SelectMany(a => new[] { a, a }))
        {
            await client.PutAccountAsync(account);
            var (response, _) = await client.PostAppealAsync(Api.Appeal(account, null, "other", text, photo: false));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        var fingerprint = (await db.Appeals.AsNoTracking().FirstAsync(a => a.RequesterKey == "account:" + accounts[0])).TextFingerprint;
        Assert.NotEqual(0, fingerprint);
        var ef = new EfGateContextSource(db);
        using var session = _factory.Services.GetRequiredService<EmbeddedIntakeStore>().Open();
        var since = Api.Now.AddDays(-1);
        foreach (var (asking, atMost, expected) in new[] { ("account:nobody", 10, 3), ("account:" + accounts[1], 10, 2), ("account:nobody", 2, 2), ("account:nobody", 1, 1) })
        {
            Assert.Equal(expected, await session.OtherRequestersWithTextAsync(fingerprint, since, asking, atMost, CancellationToken.None));
            Assert.Equal(expected, await ef.OtherRequestersWithTextAsync(fingerprint, since, asking, atMost, CancellationToken.None));
        }
        Assert.Equal(0, await session.OtherRequestersWithTextAsync(fingerprint, Api.Now.AddDays(1), "account:nobody", 10, CancellationToken.None));
    }

    /// <summary>Queues writes while the store is held, so that the writer takes them all in one batch.</summary>
    private async Task<T> WhileTheStoreIsHeldAsync<T>(Func<IntakeCommitter, T> queue)
    {
        var committer = _factory.Services.GetRequiredService<IntakeCommitter>();
        using (await _factory.Services.GetRequiredService<StoreWriteGate>().EnterEmbeddedWriterAsync(CancellationToken.None))
        {
            return queue(committer);
        }
    }

    [Fact]
    public async Task AWriteThatLosesItsRace_IsRolledBackAlone_AndItsBatchCommits()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var key = Api.NewId("k");
        // Holding the writer makes all three queue up and land in one transaction.
        var (first, duplicate, third) = await WhileTheStoreIsHeldAsync(committer => (
            committer.WriteAsync(s => Insert(s, key)),
            committer.WriteAsync(s => Insert(s, key)), // same idempotency key: the unique index says no
            committer.WriteAsync(s => Insert(s, key + "-3"))));
        await first;
        await Assert.ThrowsAsync<StoreConflictException>(() => duplicate);
        await third;

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        Assert.Equal(2, await db.Appeals.CountAsync(a => a.IdempotencyKey.StartsWith(key)));
    }

    [Fact]
    public async Task AWriteThatFailsAfterWriting_LeavesNothing_AndItsNeighboursAreStoredOnce()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var key = Api.NewId("k");
        var runs = new int[3];
        ValueTask<string> Counted(IIntakeSession session, int i)
        {
            Interlocked.Increment(ref runs[i]);
            return Insert(session, $"{key}-{i}");
        }
        async ValueTask<string> FailsAfterItsInsert(IIntakeSession session)
        {
            await Counted(session, 1);
            throw new InvalidOperationException("failed after its insert");
        }

        var cleanRuns = 0;
        ValueTask<string> Clean(IIntakeSession session, string suffix)
        {
            Interlocked.Increment(ref cleanRuns);
            return Insert(session, key + suffix);
        }

        var (clean, alsoClean) = await WhileTheStoreIsHeldAsync(committer => (
            committer.WriteAsync(s => Clean(s, "-a")),
            committer.WriteAsync(s => Clean(s, "-b"))));
        await clean;
        await alsoClean;
        Assert.Equal(2, cleanRuns); // a batch where nothing fails runs each write once
        var (before, failing, after) = await WhileTheStoreIsHeldAsync(committer => (
            committer.WriteAsync(s => Counted(s, 0)),
            committer.WriteAsync(FailsAfterItsInsert),
            committer.WriteAsync(s => Counted(s, 2))));
        await before;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await after;

        // The write before the failed one ran again, on a store without the failed one's insert; that one never again.
        Assert.Equal([2, 1, 1], runs);
        await using var scope = _factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<OtklikDbContext>().Appeals
            .Where(a => a.IdempotencyKey.StartsWith(key)).Select(a => a.IdempotencyKey).OrderBy(k => k).ToListAsync();
        Assert.Equal([key + "-0", key + "-2", key + "-a", key + "-b"], stored);
    }

    [Fact]
    public async Task TheWritersCounters_SayHowManyIntakesWentIntoHowManyTransactions_AndForHowLong()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var committer = _factory.Services.GetRequiredService<IntakeCommitter>();
        var key = Api.NewId("k");
        var (jobs, batches, busy) = (committer.Jobs, committer.Batches, committer.BusySeconds);
        await Task.WhenAll(await WhileTheStoreIsHeldAsync(c => Enumerable.Range(0, 5).Select(i => c.WriteAsync(s => Insert(s, $"{key}-{i}"))).ToList()));

        Assert.Equal(jobs + 5, committer.Jobs);
        Assert.Equal(batches + 1, committer.Batches); // queued while the store was held: one transaction
        Assert.True(committer.BusySeconds > busy);
        var metrics = await _factory.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("otklik_writer_busy", metrics, StringComparison.Ordinal);
        Assert.Contains("otklik_writer_batches", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestersNextAppeals_AreDecidedFromTheWritersMemory_UntilAnotherConnectionWrites()
    {
        var client = _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var agent = _factory.Agent();
        var (account, order, first) = await AcceptedAppealAsync(client);
        var ticketId = first.Str("ticket.ticket_id");
        var cache = _factory.Services.GetRequiredService<IntakeCommitter>().Cache!;
        var (hits, forgotten) = (cache.Hits, cache.Forgotten);

        // The account, its orders, the day's appeals, its tickets and its bucket: all from memory this time
        // (and, as in every test here, checked against the store: a difference would fail the appeal).
        var (_, merged) = await client.PostAppealAsync(Api.Appeal(account, order, text: "Пишу ещё раз: чайник треснул, корпус в трещинах, нужна замена"));
        Assert.Equal("merged", merged.Str("outcome"));
        Assert.True(cache.Hits >= hits + 5, $"{cache.Hits - hits} reads from memory");
        Assert.Equal(forgotten, cache.Forgotten);

        // An agent's change is a commit on another connection: the next batch forgets what it knew.
        await agent.PostJsonAsync($"/api/v1/tickets/{ticketId}/status", new { status = "solved" });
        var (_, reopened) = await client.PostAppealAsync(Api.Appeal(account, order, text: "Замену так и не прислали, чайник всё ещё с трещиной"));
        Assert.Equal("reopened", reopened.Str("outcome"));
        Assert.Equal(ticketId, reopened.Str("ticket.ticket_id"));
        Assert.True(cache.Forgotten > forgotten);

        // The reopen went through memory too: a fourth appeal merges into the reopened ticket.
        var (_, again) = await client.PostAppealAsync(Api.Appeal(account, order, text: "И ещё: на корпусе новые трещины появились"));
        Assert.Equal("merged", again.Str("outcome"));
        Assert.Equal(ticketId, again.Str("ticket.ticket_id"));
    }

    [Fact]
    public async Task AnErasedPerson_IsForgottenByTheWriterAtOnce_NotAtTheNextAppeal()
    {
        var client = _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var (account, _, _) = await AcceptedAppealAsync(client);
        var cache = _factory.Services.GetRequiredService<IntakeCommitter>().Cache!;
        Assert.True(cache.Remembered > 0);

        Assert.Equal(HttpStatusCode.NoContent, (await _factory.Supervisor().DeleteAsync($"/api/v1/accounts/{account}/personal-data")).StatusCode);
        Assert.Equal(0, cache.Remembered); // nothing has been appealed since
    }

    [Fact]
    public async Task TheWritersMemoryOfAppeals_AnswersEveryWindow_AsTheStoreCounts_FloodsIncluded()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        using var session = StoreOnTheServersFile().Open();
        var memory = new CachingIntakeSession(session, capacity: 100, verify: true); // every answer from memory is checked
        var requester = "guest:" + Api.NewId("flood");
        var start = Api.Now.AddDays(-1);
        using var transaction = session.Begin();
        memory.BatchStarted();

        async Task<int> CountSince(int minutes)
        {
            var (count, oldest) = await memory.AppealsSinceAsync(requester, start.AddMinutes(minutes), CancellationToken.None);
            var (stored, storedOldest) = await session.AppealsSinceAsync(requester, start.AddMinutes(minutes), CancellationToken.None);
            Assert.Equal((stored, storedOldest), (count, oldest));
            return count;
        }

        Assert.Equal(0, await CountSince(0));
        for (var i = 0; i < 80; i++)
        {
            // One a minute; each asks first, as an intake does, so the later ones come from memory or, past 64, the store.
            await CountSince(0);
            await memory.InsertAppealAsync(Appeal(requester, "flood-" + Guid.NewGuid().ToString("N"), start.AddMinutes(i)), CancellationToken.None);
        }
        Assert.Equal(80, await CountSince(0));
        Assert.Equal(20, await CountSince(60)); // few again: kept in memory from here on
        Assert.Equal(20, await CountSince(60));
        Assert.Equal(10, await CountSince(70));
        Assert.Equal(30, await CountSince(50)); // an earlier window than memory covers: the store again
        Assert.Equal(0, await CountSince(90));
        Assert.True(memory.Hits > 0 && memory.Misses > 0, $"{memory.Hits} from memory, {memory.Misses} from the store");
    }

    [Fact]
    public async Task UrgentWrites_GoAheadOfTheOrdinaryOnesQueuedBeforeThem()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var committer = _factory.Services.GetRequiredService<IntakeCommitter>();
        var writeGate = _factory.Services.GetRequiredService<StoreWriteGate>();
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        ValueTask<string> Run(IIntakeSession s, string name)
        {
            order.Enqueue(name);
            return Insert(s, Api.NewId(name));
        }
        Task<string>[] writes;
        using (await writeGate.EnterEmbeddedWriterAsync(CancellationToken.None))
        {
            writes =
            [
                committer.WriteAsync(s => Run(s, "ordinary-1")),
                committer.WriteAsync(s => Run(s, "ordinary-2")),
                committer.WriteAsync(s => Run(s, "p1"), urgent: true),
                committer.WriteAsync(s => Run(s, "ordinary-3")),
            ];
        }
        await Task.WhenAll(writes);
        Assert.Equal(["p1", "ordinary-1", "ordinary-2", "ordinary-3"], order.ToArray());

        // An urgent write on an idle desk is committed at once, too.
        await committer.WriteAsync(s => Run(s, "p1-alone"), urgent: true).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ABurstFromManyRequesters_IsStoredWhole_OneTicketEach()
    {
        var client = _factory.Integration();
        var accounts = Enumerable.Range(0, 12).Select(_ => Api.NewId("a")).ToList();
        foreach (var account in accounts)
        {
            await client.PutAccountAsync(account);
            await client.PutOrderAsync(account + "-o", account);
        }
        // Each account sends its appeal twice at once under two keys: one ticket each, the second merged.
        var sent = await Task.WhenAll(accounts.SelectMany(a => new[] { a, a }).Select(a => client.PostAppealAsync(Api.Appeal(a, a + "-o"))));
        Assert.All(sent, s => Assert.Equal(HttpStatusCode.Created, s.Response.StatusCode));
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        foreach (var account in accounts)
        {
            Assert.Equal(1, await db.Tickets.CountAsync(t => t.AccountId == account));
            Assert.Equal(2, await db.Appeals.CountAsync(a => a.AccountId == account));
        }
    }

    [Fact]
    public async Task AWriterThatCannotOpenTheStore_RefusesAppealsAtOnce_InsteadOfLeavingThemWaiting()
    {
        // The SQLite model whatever store this run's server has: the embedded intake is SQLite's alone.
        await using var sqlite = new SqliteOtklikDbContext(new DbContextOptionsBuilder<SqliteOtklikDbContext>().UseSqlite("Data Source=:memory:").Options);
        var missing = Path.Combine(_factory.DataDirectory, "no-such-directory", "otklik.db");
        var store = new EmbeddedIntakeStore($"Data Source={missing};Mode=ReadWrite", sqlite.Model);
        await using var committer = new IntakeCommitter(store, new StoreWriteGate(), Microsoft.Extensions.Options.Options.Create(new DeskOptions { VerifyWriterCache = true }), Microsoft.Extensions.Logging.Abstractions.NullLogger<IntakeCommitter>.Instance);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => committer.WriteAsync(s => Insert(s, "never")).WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => committer.WriteAsync(s => Insert(s, "still-never")).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task UnderWritesThatNeverPause_TheWriteAheadLogStartsOver_InsteadOfGrowing()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var file = Path.Combine(_factory.DataDirectory, "otklik.db");
        var store = StoreOnTheServersFile();
        const int wave = 200;
        var text = new string('ж', 1500); // about a page of its own for each appeal
        var sizes = new List<long>();
        var written = 0;
        await using (var committer = new IntakeCommitter(store, new StoreWriteGate(), Microsoft.Extensions.Options.Options.Create(new DeskOptions { VerifyWriterCache = true }), Microsoft.Extensions.Logging.Abstractions.NullLogger<IntakeCommitter>.Instance, checkpointEvery: 100))
        {
            // One wave always queued behind the one being written: the writer never idles, so the
            // checkpointer alone never finds the log fully copied. A log that grows with every wave never
            // started over; one that stays the same size for three waves is being rewritten in place.
            Task previous = Task.CompletedTask;
            for (var round = 0; round < 60 && !(sizes.Count >= 4 && sizes[^1] == sizes[^4]); round++)
            {
                var prefix = $"wal-{round}-";
                var current = Task.WhenAll(Enumerable.Range(0, wave).Select(i => committer.WriteAsync(s => Decided(s, prefix + i, text))));
                await previous;
                sizes.Add(new FileInfo(file + "-wal").Length);
                previous = current;
                written += wave;
            }
            await previous;
        }
        Assert.True(sizes.Count >= 4 && sizes[^1] == sizes[^4], $"the log grew with every wave: {string.Join(", ", sizes.Select(b => b / 1024))} KiB");
        await using var check = _factory.Services.CreateAsyncScope();
        Assert.Equal(written, await check.ServiceProvider.GetRequiredService<OtklikDbContext>().Appeals.CountAsync(a => a.IdempotencyKey.StartsWith("wal-")));
    }

    // An intake's write with its decision's time (≈ 100 µs, inside the transaction as the real one is):
    // written back to back, the transactions leave the checkpointer no moment with the log fully copied.
    private static ValueTask<string> Decided(IIntakeSession session, string key, string text)
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 10_000;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
        return Insert(session, key, text);
    }

    /// <summary>A buyer with an order, and their first appeal about it, accepted.</summary>
    private static async Task<(string Account, string Order, System.Text.Json.Nodes.JsonNode First)> AcceptedAppealAsync(HttpClient client)
    {
        var account = Api.NewId("a");
        var order = Api.NewId("o");
        await client.PutAccountAsync(account);
        await client.PutOrderAsync(order, account);
        var (_, first) = await client.PostAppealAsync(Api.Appeal(account, order));
        Assert.Equal("accepted", first.Str("outcome"));
        return (account, order, first);
    }

    [Fact]
    public async Task TheCheckpointersSync_GoesThroughSqlitesOwnFile_AndLeavesTheStoreWhole()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        var store = StoreOnTheServersFile();
        await using (var committer = new IntakeCommitter(store, new StoreWriteGate(), Microsoft.Extensions.Options.Options.Create(new DeskOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<IntakeCommitter>.Instance))
        {
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => committer.WriteAsync(s => Insert(s, "sync-" + i, new string('ё', 1000)))));
        }
        using (var session = store.Open())
        {
            session.CheckpointPassive(); // pages into the file, in the system's cache until synced
            session.SyncDatabaseFile();
            session.SyncDatabaseFile(); // nothing left to write: still fine
        }
        // A wrong entry of SQLite's file methods would have truncated, closed or locked the file instead.
        await using var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_factory.DataDirectory, "otklik.db")};Pooling=False");
        await check.OpenAsync();
        await using var command = check.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", await command.ExecuteScalarAsync());
        command.CommandText = "SELECT COUNT(*) FROM appeals WHERE \"IdempotencyKey\" LIKE 'sync-%'";
        Assert.Equal(50L, await command.ExecuteScalarAsync());
        command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;"; // the write lock is free: nothing was left locked
        await command.ExecuteNonQueryAsync();
        var closed = store.Open();
        closed.Dispose();
        Assert.Throws<InvalidOperationException>(closed.SyncDatabaseFile);
    }

    [Fact]
    public void TheWritersPageCache_IsSizedToTheFile_AndSqliteHasIt()
    {
        _factory.Integration();
        if (!Embedded)
        {
            return;
        }
        using var session = StoreOnTheServersFile().Open();
        // A test store is far below 1 GiB: the small cache, and SQLite was told so (a negative size is in KiB).
        Assert.Equal(SqliteSettings.SmallWriterCacheKib, session.CacheKib);
        Assert.Equal(-SqliteSettings.SmallWriterCacheKib, session.CacheSizeSetting());
        session.SizeCache();
        Assert.Equal(-SqliteSettings.SmallWriterCacheKib, session.CacheSizeSetting());
    }

    /// <summary>The intake's own way into the file the test server uses, with the server's model.</summary>
    private EmbeddedIntakeStore StoreOnTheServersFile()
    {
        using var scope = _factory.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<OtklikDbContext>().Model;
        return new EmbeddedIntakeStore($"Data Source={Path.Combine(_factory.DataDirectory, "otklik.db")}", model);
    }

    private static async ValueTask<string> Insert(IIntakeSession session, string key, string text = "проверка")
    {
        await session.InsertAppealAsync(Appeal("guest:test", key, Api.Now, text), CancellationToken.None);
        return key;
    }

    private static Appeal Appeal(string requesterKey, string key, DateTimeOffset at, string text = "проверка") => new()
    {
        AppealId = Api.NewId("ap"),
        ClientName = "test",
        IdempotencyKey = key,
        RequestHash = "h",
        RequesterKey = requesterKey,
        ProblemType = "other",
        Text = text,
        PolicyVersion = "test",
        DecisionJson = JsonText.EmptyObject,
        CreatedAt = at,
        ReceivedAt = at,
    };
}
