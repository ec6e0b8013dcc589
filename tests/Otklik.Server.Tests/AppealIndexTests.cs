using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Documents;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Server.Tests;

/// <summary>
/// Some of the appeals' indexes hold only the rows a query looks for (filtered indexes): the deferred
/// queue's, and a ticket's appeals by either of their two ticket columns. A store uses a filtered index
/// only for a query whose predicate implies the filter, and a column without an index turns an OR into
/// a read of every appeal. So each such query, as the product builds it, is asked for its plan on the
/// store the suite runs on (SQLite, or PostgreSQL with OTKLIK_TEST_POSTGRES).
/// </summary>
public sealed class AppealIndexTests : IDisposable
{
    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TheDeferredQueue_IsReadThroughItsFilteredIndex_InAdmissionOrder()
    {
        await using var scope = Scope(out var db);
        await AssertPlanAsync(db, db.Appeals.AsNoTracking().InAdmissionOrder().Select(a => new { a.AppealId, a.RequesterKey, a.Priority }).CreateDbCommand(),
            [DeferredQueries.IndexName], ordered: true);
        await AssertPlanAsync(db, db.Appeals.AsNoTracking().AwaitingAdmission().Select(a => new { a.ReceivedAt, a.DecisionJson }).CreateDbCommand(),
            [DeferredQueries.IndexName]);
    }

    [Fact]
    public async Task ATicketsAppeals_AndAClaimsEvidence_AreFoundByIndex_NotByReadingEveryAppeal()
    {
        await using var scope = Scope(out var db);
        await AssertPlanAsync(db, db.Appeals.AsNoTracking().OfTicket("T-000001").OrderBy(a => a.CreatedAt).Select(a => a.AppealId).CreateDbCommand(),
            ["IX_appeals_TicketId", "IX_appeals_AdmittedTicketId"]);
        var aboutAnOrder = new Ticket { TicketId = "tk_1", RequesterKey = "account:a-1", OrderNumber = "o-1", ProblemType = "damaged_item" };
        await AssertPlanAsync(db, ClaimDocumentBuilder.Evidence(db.Appeals.AsNoTracking(), aboutAnOrder).CreateDbCommand(),
            ["IX_appeals_TicketId", "IX_appeals_AdmittedTicketId", "IX_appeals_RequesterKey_CreatedAt"]);
        var aboutNoOrder = new Ticket { TicketId = "tk_2", RequesterKey = "account:a-1", ProblemType = "other" };
        await AssertPlanAsync(db, ClaimDocumentBuilder.Evidence(db.Appeals.AsNoTracking(), aboutNoOrder).CreateDbCommand(),
            ["IX_appeals_TicketId", "IX_appeals_AdmittedTicketId"]);
    }

    private AsyncServiceScope Scope(out OtklikDbContext db)
    {
        _ = _factory.Integration(); // starts the server: the store is migrated
        var scope = _factory.Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        return scope;
    }

    /// <param name="ordered">The index gives the query's order: no sort step in the plan.</param>
    private static async Task AssertPlanAsync(OtklikDbContext db, DbCommand query, string[] indexes, bool ordered = false)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync();
        if (postgres)
        {
            // A table this small is read whole whatever indexes it has; with that plan priced out, the plan shows
            // whether the indexes can serve the query. An OR of two indexes is a bitmap in PostgreSQL, so bitmaps
            // stay allowed — except where the question is whether the index gives the order.
            await db.Database.ExecuteSqlRawAsync(ordered ? "SET enable_seqscan = off; SET enable_bitmapscan = off" : "SET enable_seqscan = off; SET enable_bitmapscan = on");
        }
        query.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + query.CommandText;
        var plan = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
            }
        }
        var shown = $"{query.CommandText}\n→\n{string.Join('\n', plan)}";
        foreach (var index in indexes)
        {
            Assert.True(plan.Any(line => line.Contains(index, StringComparison.Ordinal)), $"{index} unused:\n{shown}");
        }
        // Every step that walks rows walks one of those indexes: not the table (SQLite's bare "SCAN a",
        // PostgreSQL's sequential scan), nor another index read from end to end for its order.
        var walks = plan.Where(line => line.TrimStart().StartsWith("SCAN", StringComparison.Ordinal) || line.TrimStart().StartsWith("SEARCH", StringComparison.Ordinal)
            || (line.Contains("Scan", StringComparison.Ordinal) && !line.Contains("Bitmap Heap Scan", StringComparison.Ordinal)));
        Assert.All(walks, line => Assert.True(indexes.Any(index => line.Contains(index, StringComparison.Ordinal)), $"{line.Trim()}:\n{shown}"));
        if (ordered)
        {
            Assert.False(plan.Any(line => line.Contains("TEMP B-TREE", StringComparison.Ordinal) || line.TrimStart().StartsWith("Sort", StringComparison.Ordinal)), shown);
        }
    }
}
