using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Otklik.Server.Tests;

/// <summary>
/// The reads agents and supervisors make many times a day — queues, a ticket, the dashboard, an account's
/// data and its erasure — must not read a large table whole: at a million tickets that is seconds
/// a page. Every statement EF Core runs against this desk's store while they are served is recorded and
/// SQLite is asked for its plan; a full pass over a large table is allowed only under a LIMIT (a newest-first
/// page stops early). Plans are SQLite's; the indexes come from the one model both stores are built from.
/// A ticket's appeals and a claim's evidence have their own plan test (<see cref="AppealIndexTests"/>).
/// </summary>
public sealed partial class QueryPlanTests : IDisposable
{
    private static readonly HashSet<string> s_large = new(StringComparer.Ordinal)
    {
        "appeals", "tickets", "ticket_events", "ticket_messages", "orders", "requesters", "identities", "mail", "outbox", "rate_buckets",
    };

    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TheDeskDaysReads_NeverReadALargeTableWhole()
    {
        if (OtklikFactory.PostgresAdmin is not null)
        {
            return; // the plans asked for are SQLite's
        }
        var (integration, agent, supervisor) = (_factory.Integration(), _factory.Agent(), _factory.Supervisor());
        var account = Api.NewId("a");
        await integration.PutAccountAsync(account);
        await integration.PutOrderAsync(account + "-o", account);
        var (_, decision) = await integration.PostAppealAsync(Api.Appeal(account, account + "-o"));
        var ticketId = decision.Str("ticket.ticket_id");
        await agent.PostJsonAsync($"/api/v1/tickets/{ticketId}/messages", new { text = "Здравствуйте! Оформим замену.", @internal = false }, 201);

        using var store = new StoreCommands(_factory.DataDirectory);
        // EF Core remembers for a second (its logging cache time) that nobody listened; another desk of the
        // suite, sharing its internal services, may have just found so.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        foreach (var (client, path) in new[]
        {
            (agent, "/api/v1/tickets?queue=buyers"),
            (agent, "/api/v1/tickets?queue=buyers&status=open"),
            (agent, $"/api/v1/tickets/{ticketId}"),
            (agent, "/api/v1/load"),
            (integration, $"/api/v1/accounts/{account}/appeals"),
            (supervisor, "/api/v1/dashboard?range=24h"),
            (supervisor, "/api/v1/sla/at-risk"),
            (supervisor, $"/api/v1/accounts/{account}/personal-data"),
        })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await supervisor.DeleteAsync($"/api/v1/accounts/{account}/personal-data")).StatusCode);

        var commands = store.Taken();
        Assert.NotEmpty(commands);
        var wholeReads = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDirectory, "otklik.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        // A filtered index holds only the rows its queries look for (the deferred queue's): reading it whole is the point.
        var filtered = new HashSet<string>(StringComparer.Ordinal);
        await using (var indexes = connection.CreateCommand())
        {
            indexes.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'";
            await using var names = await indexes.ExecuteReaderAsync();
            while (await names.ReadAsync())
            {
                filtered.Add(names.GetString(0));
            }
        }
        foreach (var (sql, parameters) in commands.Where(c => Regex.IsMatch(c.Sql, @"^\s*(SELECT|UPDATE|DELETE)\b", RegexOptions.IgnoreCase)).DistinctBy(c => c.Sql))
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var step = reader.GetString(3);
                if (ScanOf().Match(step) is { Success: true } scan
                    && AliasOf(sql, scan.Groups[1].Value) is { } table && s_large.Contains(table)
                    && !Regex.IsMatch(sql, @"\bLIMIT\b", RegexOptions.IgnoreCase)
                    && !(IndexOf().Match(step) is { Success: true } index && filtered.Contains(index.Groups[1].Value)))
                {
                    wholeReads.Add($"{table}: {step}\n  {sql}");
                }
            }
        }
        Assert.True(wholeReads.Count == 0, string.Join("\n\n", wholeReads));
    }

    private static string? AliasOf(string sql, string alias) =>
        Regex.Match(sql, $"\"(\\w+)\" AS \"{Regex.Escape(alias)}\"") is { Success: true } m ? m.Groups[1].Value : alias;

    [GeneratedRegex(@"^SCAN (\S+)")]
    private static partial Regex ScanOf();

    [GeneratedRegex(@"USING (?:COVERING )?INDEX (\S+)")]
    private static partial Regex IndexOf();

    /// <summary>The statements EF Core runs against one desk's store (its data directory), with their parameters.</summary>
    private sealed class StoreCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _dataDirectory;
        private readonly List<(string Sql, List<(string, object?)> Parameters)> _seen = [];
        private readonly List<IDisposable> _subscriptions = [];

        public StoreCommands(string dataDirectory)
        {
            _dataDirectory = dataDirectory;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Taken()
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == Microsoft.EntityFrameworkCore.DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData { Command: DbCommand command }
                && command.Connection?.DataSource?.StartsWith(_dataDirectory, StringComparison.Ordinal) == true)
            {
                var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
                lock (_seen)
                {
                    _seen.Add((command.CommandText, parameters));
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                foreach (var s in _subscriptions)
                {
                    s.Dispose();
                }
            }
        }
    }
}
