using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Otklik.E2E;

/// <summary>
/// Nothing acknowledged is lost: appeals are sent at load with unique idempotency keys, the server is
/// killed with SIGKILL three times mid-load and restarted, every unanswered request is retried with
/// its key, and then everything is read back: every acknowledged appeal exactly once, no duplicates,
/// every ticket there for the decisions that made one, and no requester over the quota of new
/// tickets. On the SQLite default, or on PostgreSQL with OTKLIK_TEST_POSTGRES (scripts/crash-safety.sh
/// runs both and prints the figures).
/// </summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private const int Accounts = 40;
    private const int Kills = 3;
    private const int RateBurst = 3; // the default policy's buyer burst; the run is far too short for a refill

    private static readonly string[] s_topics =
    [
        "не начислились баллы за покупку", "сменить адрес доставки в профиле", "курьер опоздал на целый день", "не приходит код подтверждения входа",
        "удалить банковскую карту из профиля", "промокод на скидку не сработал", "в приложении не открывается чек", "как стать продавцом на площадке",
        "приложение закрывается при оплате", "подарочный сертификат не активируется", "отписаться от рекламной рассылки", "поменять язык интерфейса",
    ];

    private readonly ServerProcess _server = new();

    public string Store { get; } = Environment.GetEnvironmentVariable("OTKLIK_TEST_POSTGRES") is { Length: > 0 } ? "postgresql" : "sqlite";

    public Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("OTKLIK_TEST_POSTGRES") is { Length: > 0 } admin)
        {
            var cs = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = admin };
            cs["Database"] = "otklik_t_crash_" + Guid.NewGuid().ToString("N")[..12];
            Otklik.Tests.TestLeftovers.Database(admin, (string)cs["Database"]);
            _server.Environment["ConnectionStrings__Postgres"] = cs.ConnectionString;
        }
        return _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private static string Account(int i) => $"a-{2000 + (i % Accounts)}";

    private static object Body(int i) => new
    {
        channel = "app",
        requester = new { account_id = Account(i) },
        problem_type = "other",
        text = $"{s_topics[i / Accounts % s_topics.Length]}, обращение {i}",
    };

    private static async Task<(HttpStatusCode? Status, string? AppealId)> SendAsync(HttpClient http, string key, object body)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await http.SendAsync(request);
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return (response.StatusCode, doc.RootElement.GetProperty("appeal_id").GetString());
            }
            return (response.StatusCode, null);
        }
        catch (HttpRequestException)
        {
            return (null, null); // the connection died with the server: not acknowledged
        }
        catch (TaskCanceledException)
        {
            return (null, null);
        }
    }

    [Fact]
    public async Task KilledThreeTimesMidLoad_EveryAcknowledgedAppealIsThereExactlyOnce_TicketsMatchDecisions_QuotasHold()
    {
        var apiKey = await _server.KeyAsync("integration");
        using var agent = new HttpClient { BaseAddress = new Uri(_server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        agent.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await _server.KeyAsync("agent"));
        using var http = new HttpClient { BaseAddress = new Uri(_server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        const int total = 480;
        var bodies = Enumerable.Range(0, total).Select(Body).ToArray();
        var keys = Enumerable.Range(0, total).Select(i => $"crash-{i}-{Guid.NewGuid():N}").ToArray();
        var acknowledged = new ConcurrentDictionary<int, string>();

        // Waves of load; the server is killed in the middle of each of the first three and started again.
        var kills = 0;
        var perWave = total / (Kills + 1);
        for (var wave = 0; wave <= Kills; wave++)
        {
            var acks = 0;
            var load = Parallel.ForEachAsync(Enumerable.Range(wave * perWave, wave == Kills ? total - (wave * perWave) : perWave), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var (_, appealId) = await SendAsync(http, keys[i], bodies[i]);
                if (appealId is not null)
                {
                    acknowledged[i] = appealId;
                    Interlocked.Increment(ref acks);
                }
            });
            if (wave < Kills)
            {
                while (Volatile.Read(ref acks) < perWave / 3 && !load.IsCompleted)
                {
                    await Task.Delay(5);
                }
                var killed = !load.IsCompleted;
                if (killed)
                {
                    _server.Kill();
                    kills++;
                }
                await load;
                if (killed)
                {
                    await _server.StartAsync();
                }
            }
            else
            {
                await load;
            }
        }
        var acknowledgedBeforeRetry = acknowledged.Count;
        Assert.True(kills >= 2, "the server was killed mid-load several times");
        Assert.InRange(acknowledgedBeforeRetry, 1, total - 1);

        // Retry everything: the unanswered get their first decision, the acknowledged replay the same one.
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var (status, appealId) = await SendAsync(http, keys[i], bodies[i]);
            Assert.NotNull(appealId);
            if (acknowledged.TryGetValue(i, out var first))
            {
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(first, appealId);
            }
        });

        // Read everything back.
        var seen = new HashSet<string>();
        var duplicates = 0;
        var overQuota = 0;
        var inconsistent = 0;
        for (var account = 0; account < Accounts; account++)
        {
            var newTickets = 0;
            string? cursor = null;
            do
            {
                var page = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/accounts/{Account(account)}/appeals?limit=200" + (cursor is null ? "" : "&cursor=" + cursor)));
                foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                {
                    if (!seen.Add(item.GetProperty("appeal_id").GetString()!))
                    {
                        duplicates++;
                    }
                    var outcome = item.GetProperty("outcome").GetString()!;
                    var ticket = item.TryGetProperty("ticket", out var t) && t.ValueKind == JsonValueKind.Object ? t.GetProperty("ticket_id").GetString() : null;
                    newTickets += outcome == "accepted" ? 1 : 0;
                    var needsTicket = outcome is "accepted" or "merged" or "reopened";
                    if (needsTicket != (ticket is not null)
                        || (ticket is not null && (await agent.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode != HttpStatusCode.OK))
                    {
                        inconsistent++;
                    }
                }
                cursor = page.RootElement.GetProperty("next_cursor").GetString();
            }
            while (cursor is not null);
            overQuota += newTickets > RateBurst ? 1 : 0;
        }
        var lost = acknowledged.Values.Count(id => !seen.Contains(id)) + Math.Max(0, total - seen.Count - duplicates);
        var figures = $"store={Store} sent={total} kills={kills} acknowledged_before_retry={acknowledgedBeforeRetry} stored={seen.Count} lost={lost} duplicates={duplicates} inconsistent_tickets={inconsistent} requesters_over_quota={overQuota}";
        var artifacts = Environment.GetEnvironmentVariable("OTKLIK_ARTIFACTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, $"crash-safety-{Store}.txt"), figures + Environment.NewLine);
        Assert.True(lost == 0 && duplicates == 0 && inconsistent == 0 && overQuota == 0 && seen.Count == total, figures);
    }
}
