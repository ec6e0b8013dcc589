using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Core.Appeals;
using Otklik.Core.Tickets;
using Otklik.Data;
using Otklik.Data.Postgres;

namespace Otklik.Server.Tests;

/// <summary>
/// PostgreSQL's intake path (plain statements, batched round trips) against EF Core: the same rows
/// either way, a stale write refused at commit with nothing kept, and the requester's lock held
/// until the transaction ends. Runs in the PostgreSQL pass of the suite (OTKLIK_TEST_POSTGRES).
/// </summary>
public sealed class PostgresIntakeTests : IDisposable
{
    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private PostgresIntakeStore? Store => _factory.Services.GetService<PostgresIntakeStore>();

    // A new account with an order, and its first appeal about it (a ticket).
    private static async Task<(string Account, HttpResponseMessage Response, System.Text.Json.Nodes.JsonNode Body)> AnAccountWithAnAppealAsync(HttpClient client)
    {
        var account = Api.NewId("a");
        await client.PutAccountAsync(account);
        await client.PutOrderAsync(account + "-o", account);
        var (response, body) = await client.PostAppealAsync(Api.Appeal(account, account + "-o"));
        return (account, response, body);
    }

    [Fact]
    public async Task RowsWrittenByTheIntake_ReadBackThroughEfCore_AndTheSessionReadsWhatEfWrote()
    {
        var client = _factory.Integration();
        if (Store is not { } store)
        {
            return; // SQLite run: EmbeddedIntakeTests covers its own path
        }
        var (account, response, body) = await AnAccountWithAnAppealAsync(client);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticketId = body.Str("ticket.ticket_id");
        // The same appeal again under another key: merged into the ticket (an update and a new message).
        var (again, _) = await client.PostAppealAsync(Api.Appeal(account, account + "-o"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        var viaEf = await db.Tickets.AsNoTracking().Include(t => t.Messages).Include(t => t.Events).SingleAsync(t => t.TicketId == ticketId);
        var appealsViaEf = await db.Appeals.AsNoTracking().Where(a => a.RequesterKey == "account:" + account).OrderBy(a => a.CreatedAt).ToListAsync();
        Assert.Equal(2, appealsViaEf.Count);
        Assert.Equal(viaEf.Seq, long.Parse(body.Str("ticket.number")[2..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, viaEf.Messages.Count);
        Assert.Equal(1, viaEf.Version);

        await using var session = await store.OpenAsync(CancellationToken.None);
        var history = await ((IGateContextSource)session).HistoryAsync(new HistoryQuery(
            account, 10, "account:" + account, Api.Now.AddDays(-1), null, Api.Now, 64, Api.Now.AddYears(-1), 10), CancellationToken.None);
        var seen = Assert.Single(history.Tickets);
        Assert.Equal(viaEf.Facts(), seen);
        Assert.Equal(2, history.AppealsLastDay);
        Assert.Equal(appealsViaEf[0].CreatedAt, history.OldestAppealLastDay);
        Assert.NotNull(history.Bucket);
        var viaSession = (await session.FullTicketAsync(seen.Seq, CancellationToken.None))!;
        foreach (var property in db.Model.FindEntityType(typeof(Ticket))!.GetProperties())
        {
            Assert.Equal(property.PropertyInfo?.GetValue(viaEf) ?? property.FieldInfo?.GetValue(viaEf), property.PropertyInfo?.GetValue(viaSession) ?? property.FieldInfo?.GetValue(viaSession));
        }
        foreach (var appealViaEf in appealsViaEf)
        {
            var appealViaSession = (await session.FindAppealAsync(appealViaEf.ClientName, appealViaEf.IdempotencyKey, CancellationToken.None))!;
            foreach (var property in db.Model.FindEntityType(typeof(Appeal))!.GetProperties())
            {
                Assert.Equal(property.PropertyInfo!.GetValue(appealViaEf), property.PropertyInfo.GetValue(appealViaSession));
            }
        }
        var listed = Assert.Single(history.Orders);
        var orderViaSession = await session.WholeOrderAsync(listed, CancellationToken.None);
        var orderViaEf = await db.Orders.AsNoTracking().SingleAsync(o => o.Number == listed.Number);
        foreach (var property in db.Model.FindEntityType(typeof(Otklik.Core.Orders.Order))!.GetProperties())
        {
            Assert.Equal(property.PropertyInfo!.GetValue(orderViaEf), property.PropertyInfo.GetValue(orderViaSession));
        }
    }

    [Fact]
    public async Task AStaleTicketOrBucket_IsRefusedAtCommit_AndNothingOfTheTransactionIsKept()
    {
        var client = _factory.Integration();
        if (Store is not { } store)
        {
            return;
        }
        var (account, _, body) = await AnAccountWithAnAppealAsync(client);
        var ticketId = body.Str("ticket.ticket_id");
        var key = "account:" + account;
        var query = new HistoryQuery(account, 10, key, Api.Now.AddDays(-1), null, Api.Now, 64, Api.Now.AddYears(-1), 10);

        // Two intakes read the same ticket; the first saves it, the second's save is refused.
        await using (var first = await store.OpenAsync(CancellationToken.None))
        await using (var second = await store.OpenAsync(CancellationToken.None))
        {
            var seq = Assert.Single((await ((IGateContextSource)first).HistoryAsync(query, CancellationToken.None)).Tickets).Seq;
            var mine = (await first.FullTicketAsync(seq, CancellationToken.None))!;
            var theirs = (await second.FullTicketAsync(seq, CancellationToken.None))!;
            mine.AddCustomerMessage(Channel.Web, "первое дополнение", Api.Now, "ap-test-1");
            await first.UpdateTicketAsync(mine, 0, 0, CancellationToken.None);
            await first.CommitAsync(CancellationToken.None);

            var bucket = (await second.RateBucketAsync(key, CancellationToken.None))!;
            theirs.AddCustomerMessage(Channel.Web, "второе дополнение", Api.Now, "ap-test-2");
            await second.UpdateTicketAsync(theirs, 0, 0, CancellationToken.None);
            await second.SaveBucketAsync(bucket, bucket.UpdatedAt.AddSeconds(-1), CancellationToken.None); // read at another time: stale too
            await Assert.ThrowsAsync<StoreConflictException>(() => second.CommitAsync(CancellationToken.None));
        }

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.Messages).SingleAsync(t => t.TicketId == ticketId);
        Assert.Equal(1, ticket.Version);
        Assert.Contains(ticket.Messages, m => m.Text == "первое дополнение");
        Assert.DoesNotContain(ticket.Messages, m => m.Text == "второе дополнение");

        // A bucket saved stale on its own is refused the same way.
        await using (var stale = await store.OpenAsync(CancellationToken.None))
        {
            var bucket = (await stale.RateBucketAsync(key, CancellationToken.None))!;
            await stale.SaveBucketAsync(bucket, bucket.UpdatedAt.AddSeconds(-1), CancellationToken.None);
            await Assert.ThrowsAsync<StoreConflictException>(() => stale.CommitAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task TheAppealsOwnIdempotencyCheck_TravelsWithTheLockedReads_AndFindsTheStoredAppeal()
    {
        var client = _factory.Integration();
        if (Store is not { } store)
        {
            return;
        }
        var (account, response, _) = await AnAccountWithAnAppealAsync(client);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<OtklikDbContext>().Appeals.AsNoTracking().SingleAsync(a => a.RequesterKey == "account:" + account);
        var query = new HistoryQuery(account, 10, "account:" + account, Api.Now.AddDays(-1), null, Api.Now, 64, Api.Now.AddYears(-1), 10);

        await using (var again = await store.OpenAsync(stored.ClientName, stored.IdempotencyKey, CancellationToken.None))
        {
            await again.LockRequesterAsync(Random.Shared.NextInt64(), CancellationToken.None);
            var history = await ((IGateContextSource)again).HistoryAsync(query, CancellationToken.None);
            Assert.Single(history.Tickets); // the batch's own results come after the lock and the check
            Assert.Equal(stored.AppealId, (await again.FindAppealAsync(stored.ClientName, stored.IdempotencyKey, CancellationToken.None))?.AppealId);
            Assert.Null(await again.FindAppealAsync(stored.ClientName, Api.NewId("k"), CancellationToken.None)); // another key: asked on its own
        }
        var newKey = Api.NewId("k");
        await using (var fresh = await store.OpenAsync(stored.ClientName, newKey, CancellationToken.None))
        {
            await fresh.LockRequesterAsync(Random.Shared.NextInt64(), CancellationToken.None);
            Assert.Single((await ((IGateContextSource)fresh).HistoryAsync(query, CancellationToken.None)).Tickets);
            Assert.Null(await fresh.FindAppealAsync(stored.ClientName, newKey, CancellationToken.None));
            Assert.Equal(stored.AppealId, (await fresh.FindAppealAsync(stored.ClientName, stored.IdempotencyKey, CancellationToken.None))?.AppealId);
        }
    }

    [Fact]
    public async Task AHistorySentEarly_AnswersTheSameQuestion_AndOnlyThat()
    {
        var client = _factory.Integration();
        if (Store is not { } store)
        {
            return;
        }
        var (account, _, _) = await AnAccountWithAnAppealAsync(client);
        var key = "account:" + account;
        var query = new HistoryQuery(account, 10, key, Api.Now.AddDays(-1), 42, Api.Now.AddMinutes(-10), 64, Api.Now.AddYears(-1), 10, account + "-o");
        RequesterHistory plain;
        await using (var session = await store.OpenAsync(CancellationToken.None))
        {
            plain = await session.HistoryAsync(query, CancellationToken.None);
        }

        await using (var early = await store.OpenAsync(CancellationToken.None))
        {
            await early.LockRequesterAsync(Random.Shared.NextInt64(), CancellationToken.None);
            early.Prefetch(query);
            Assert.NotNull(await early.RequesterAsync(account, CancellationToken.None)); // carries the lock and the history
            var answered = await early.HistoryAsync(query with { }, CancellationToken.None);
            AssertSame(plain, answered);
            var other = await early.HistoryAsync(query with { OrderNumber = null }, CancellationToken.None); // another question: asked anew
            Assert.Null(other.NamedOrder);
            Assert.NotNull(answered.NamedOrder);
        }

        static void AssertSame(RequesterHistory a, RequesterHistory b)
        {
            Assert.Equal(a.Orders.Select(o => o.Number), b.Orders.Select(o => o.Number));
            Assert.Equal((a.AppealsLastDay, a.OldestAppealLastDay, a.SameTextRequesters), (b.AppealsLastDay, b.OldestAppealLastDay, b.SameTextRequesters));
            Assert.Equal(a.Tickets, b.Tickets);
            Assert.Equal((a.Bucket?.Tokens, a.Bucket?.UpdatedAt), (b.Bucket?.Tokens, b.Bucket?.UpdatedAt));
            Assert.Equal(a.NamedOrder?.Number, b.NamedOrder?.Number);
            Assert.Single(a.Tickets);
        }
    }

    [Fact]
    public async Task AWriteRefusedInTheCommittingBatch_StopsTheCommit_AndNothingOfItIsKept()
    {
        var client = _factory.Integration();
        if (Store is not { } store)
        {
            return;
        }
        var (account, _, _) = await AnAccountWithAnAppealAsync(client);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        var stored = await db.Appeals.AsNoTracking().SingleAsync(a => a.RequesterKey == "account:" + account);

        await using (var session = await store.OpenAsync(CancellationToken.None))
        {
            await session.LockRequesterAsync(Random.Shared.NextInt64(), CancellationToken.None);
            Assert.NotNull(await session.RequesterAsync(account, CancellationToken.None));
            await session.FlagForReviewAsync(account, CancellationToken.None); // would commit with the batch
            await session.InsertAppealAsync(stored, CancellationToken.None); // stored already: its keys are taken
            await Assert.ThrowsAsync<StoreConflictException>(() => session.CommitAsync(CancellationToken.None));
        }
        Assert.False((await db.Requesters.AsNoTracking().SingleAsync(r => r.AccountId == account)).FlaggedForReview);
        Assert.Equal(1, await db.Appeals.CountAsync(a => a.RequesterKey == "account:" + account));
    }

    [Fact]
    public async Task TheRequestersLock_HoldsASecondIntakeUntilTheFirstCommits()
    {
        _factory.Integration();
        if (Store is not { } store)
        {
            return;
        }
        var lockKey = Random.Shared.NextInt64();
        await using var first = await store.OpenAsync(CancellationToken.None);
        await first.LockRequesterAsync(lockKey, CancellationToken.None);
        Assert.Null(await first.FindAppealAsync("nobody", Api.NewId("k"), CancellationToken.None)); // the lock travels with this read

        await using var second = await store.OpenAsync(CancellationToken.None);
        await second.LockRequesterAsync(lockKey, CancellationToken.None);
        var waiting = second.FindAppealAsync("nobody", Api.NewId("k"), CancellationToken.None).AsTask();
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "the second intake read while the first held the requester");

        await first.CommitAsync(CancellationToken.None);
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
