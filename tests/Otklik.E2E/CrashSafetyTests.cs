using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Otklik.E2E;

/// <summary>
/// Nothing acknowledged is lost: appeals are sent at load with unique idempotency keys, the server is
/// killed with SIGKILL mid-load and restarted, every unanswered request is retried with its key, and
/// then every acknowledged appeal is found exactly once.
/// </summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private readonly ServerProcess _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<string> IntegrationKeyAsync()
    {
        using var keys = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "api-keys.json")));
        return keys.RootElement.GetProperty("keys").EnumerateArray().First(k => k.GetProperty("role").GetString() == "integration").GetProperty("key").GetString()!;
    }

    private static object Body(int i) => new
    {
        channel = "app",
        requester = new { account_id = $"a-{2000 + (i % 250)}" },
        problem_type = "other",
        text = $"Вопрос номер {i} о бонусах и доставке, проверка {Guid.NewGuid():N}",
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
    public async Task KilledMidLoad_EveryAcknowledgedAppealIsThereExactlyOnce_RetriesReplay()
    {
        var apiKey = await IntegrationKeyAsync();
        using var http = new HttpClient { BaseAddress = new Uri(_server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        const int total = 400;
        var bodies = Enumerable.Range(0, total).Select(Body).ToArray();
        var keys = Enumerable.Range(0, total).Select(i => $"crash-{i}-{Guid.NewGuid():N}").ToArray();
        var acknowledged = new ConcurrentDictionary<int, string>();

        var acks = 0;
        var load = Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var (_, appealId) = await SendAsync(http, keys[i], bodies[i]);
            if (appealId is not null)
            {
                acknowledged[i] = appealId;
                Interlocked.Increment(ref acks);
            }
        });
        while (Volatile.Read(ref acks) < total / 4 && !load.IsCompleted)
        {
            await Task.Delay(20);
        }
        _server.Kill();
        await load;
        Assert.InRange(acknowledged.Count, 1, total - 1); // the kill really landed mid-load

        await _server.StartAsync();
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

        // Read everything back: exactly one appeal per key.
        var seen = new HashSet<string>();
        for (var account = 0; account < 250; account++)
        {
            string? cursor = null;
            do
            {
                var page = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/accounts/a-{2000 + account}/appeals?limit=200" + (cursor is null ? "" : "&cursor=" + cursor)));
                foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                {
                    Assert.True(seen.Add(item.GetProperty("appeal_id").GetString()!), "an appeal is listed twice");
                }
                cursor = page.RootElement.GetProperty("next_cursor").GetString();
            }
            while (cursor is not null);
        }
        Assert.Equal(total, seen.Count); // lost = 0, duplicates = 0
        Assert.All(acknowledged.Values, id => Assert.Contains(id, seen));
    }
}
