using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Data;

namespace Otklik.Server.Tests;

/// <summary>
/// The deferred queue's index holds only the waiting appeals (a filtered index); a store uses it only
/// for a query with the same predicate. Each read of the queue is asked for its plan on the store the
/// suite runs on: if the predicates drifted apart, the plan would scan the whole appeals table instead.
/// </summary>
public sealed class DeferredQueueIndexTests : IDisposable
{
    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task EveryReadOfTheDeferredQueue_GoesThroughItsFilteredIndex()
    {
        _ = _factory.Integration(); // starts the server: the store is migrated
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        var queries = new[]
        {
            db.Appeals.AsNoTracking().InAdmissionOrder().Select(a => new { a.AppealId, a.RequesterKey, a.Priority }).ToQueryString(),
            db.Appeals.AsNoTracking().AwaitingAdmission().Select(a => new { a.ReceivedAt, a.DecisionJson }).ToQueryString(),
            db.Appeals.AwaitingAdmission().Select(a => a.Priority).ToQueryString(),
        };
        var postgres = db.Database.IsNpgsql();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        if (postgres)
        {
            // A table this small is scanned (or bitmap-scanned and sorted) whatever indexes it has; with those
            // plans priced out, the plan shows whether the index can serve the query, order and all.
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off; SET enable_bitmapscan = off");
        }
        foreach (var sql in queries)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql; // none of them takes a parameter
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
                }
            }
            Assert.True(plan.Any(line => line.Contains(DeferredQueries.IndexName, StringComparison.Ordinal)),
                $"{sql}\n→\n{string.Join('\n', plan)}");
            Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal) || line.StartsWith("Sort", StringComparison.Ordinal));
        }
    }
}
