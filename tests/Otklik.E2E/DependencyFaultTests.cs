using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Otklik.E2E;

/// <summary>
/// The store fails under load and the desk rides it out: on PostgreSQL (OTKLIK_TEST_POSTGRES) the
/// server is restarted mid-load; on the SQLite default another process holds the database's write
/// lock for seconds (a stalled store). Clients retry with their idempotency keys; the desk answers
/// 503 with Retry-After (never 500) or waits, reports the outage in /health/ready, recovers by itself,
/// and every appeal ends up stored exactly once.
/// </summary>
public sealed class DependencyFaultTests : IAsyncLifetime
{
    private readonly ServerProcess _server = new();
    private readonly string? _postgres = Environment.GetEnvironmentVariable("OTKLIK_TEST_POSTGRES") is { Length: > 0 } admin ? admin : null;

    public Task InitializeAsync()
    {
        if (_postgres is not null)
        {
            var cs = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = _postgres };
            cs["Database"] = "otklik_t_fault_" + Guid.NewGuid().ToString("N")[..12];
            Otklik.Tests.TestLeftovers.Database(_postgres, (string)cs["Database"]);
            _server.Environment["ConnectionStrings__Postgres"] = cs.ConnectionString;
        }
        return _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task TheStoreFailsUnderLoad_NothingIsLost_NoServerErrors_HealthSaysSo_ItRecovers()
    {
        var key = await _server.KeyAsync("integration");
        using var http = new HttpClient { BaseAddress = new Uri(_server.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        // Clients keep sending until the fault is over (and at least this many): a fast desk would
        // otherwise be done before the fault lands, and see nothing to wait for.
        const int minimum = 240;
        var attempted = new ConcurrentDictionary<int, bool>();
        var next = -1;
        var faultOver = 0;
        var statuses = new ConcurrentBag<int>();
        var health = new ConcurrentBag<string>();
        var ids = new ConcurrentDictionary<int, string>();
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            using var probe = new HttpClient { BaseAddress = new Uri(_server.BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var doc = JsonDocument.Parse(await probe.GetStringAsync("/health/ready"));
                    health.Add(doc.RootElement.GetProperty("checks").GetProperty("store").GetProperty("status").GetString()!);
                }
                catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    health.Add("unhealthy");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    health.Add("unreachable");
                }
                await Task.Delay(100);
            }
        });

        async Task SendAsync(int i)
        {
            attempted[i] = true;
            var body = JsonSerializer.Serialize(new { channel = "app", requester = new { account_id = $"a-{2000 + (i % 60)}" }, problem_type = "other", text = $"Вопрос о заказе и бонусах, номер {i}" });
            var idempotency = $"fault-{i}-{Guid.NewGuid():N}";
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("Idempotency-Key", idempotency);
                    using var response = await http.SendAsync(request);
                    statuses.Add((int)response.StatusCode);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                        ids[i] = doc.RootElement.GetProperty("appeal_id").GetString()!;
                        return;
                    }
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Assert.True(response.Headers.RetryAfter is not null, "a 503 says when to retry");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    statuses.Add(0);
                }
                await Task.Delay(250);
            }
        }
        var load = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < minimum || Volatile.Read(ref faultOver) == 0; i = Interlocked.Increment(ref next))
            {
                await SendAsync(i);
            }
        })));

        // Strike while the load is running (a fast machine finishes 240 appeals in well under two seconds).
        while (ids.Count < 20 && !load.IsCompleted)
        {
            await Task.Delay(5);
        }
        Assert.False(load.IsCompleted, "the fault lands mid-load");
        if (_postgres is not null)
        {
            var restart = Environment.GetEnvironmentVariable("OTKLIK_TEST_PG_RESTART") ?? "pg_ctlcluster --skip-systemctl-redirect 15 main restart";
            using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", restart]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, "PostgreSQL restarted: " + await p.StandardError.ReadToEndAsync());
            Volatile.Write(ref faultOver, 1);
        }
        else
        {
            // Another process takes SQLite's write lock and sits on it: the desk's writers wait.
            await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "otklik.db")};Default Timeout=30");
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }
            await Task.Delay(4000);
            await using var commit = holder.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
            Volatile.Write(ref faultOver, 1);
        }
        await load;
        await Task.Delay(1500);
        await stop.CancelAsync();
        await poller;

        var total = attempted.Count;
        Assert.Equal(total, ids.Count);
        Assert.DoesNotContain(500, statuses);
        using (var doc = JsonDocument.Parse(await http.GetStringAsync("/health/ready")))
        {
            Assert.Equal("healthy", doc.RootElement.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
        }
        Assert.Contains(health, h => h != "healthy"); // the outage (or the stall) was reported while it lasted
        var seen = new HashSet<string>();
        for (var account = 0; account < 60; account++)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/accounts/a-{2000 + account}/appeals?limit=200"));
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                var id = item.GetProperty("appeal_id").GetString()!;
                if (ids.Values.Contains(id))
                {
                    Assert.True(seen.Add(id), "an appeal is stored twice");
                }
            }
        }
        Assert.Equal(total, seen.Count);
    }
}
