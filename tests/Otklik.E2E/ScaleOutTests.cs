using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Otklik.E2E;

/// <summary>
/// Two server processes on one store (PostgreSQL when OTKLIK_TEST_POSTGRES is set, as in CI; else one
/// SQLite file) and one Redis: the per-requester limit, duplicate detection, idempotency and the
/// deferred queue hold across them; with Redis stopped both keep taking appeals and say so in health.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private readonly RedisProcess _redis = new();
    private readonly ServerProcess _a = new();
    private readonly ServerProcess _b;
    private string _key = "";

    public ScaleOutTests()
    {
        _b = new ServerProcess { DataDirectory = _a.DataDirectory };
    }

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        foreach (var node in new[] { _a, _b })
        {
            node.Environment["ConnectionStrings__Redis"] = _redis.ConnectionString;
            node.Environment["Limits__RequesterFlood__PerMinute"] = "6";
            node.Environment["Limits__RequesterFlood__Burst"] = "6";
            node.Environment["Desk__AdmissionIntervalSeconds"] = "1";
        }
        if (System.Environment.GetEnvironmentVariable("OTKLIK_TEST_POSTGRES") is { Length: > 0 } admin)
        {
            var cs = new DbConnectionStringBuilder { ConnectionString = admin };
            cs["Database"] = "otklik_t_e2e_" + Guid.NewGuid().ToString("N")[..12];
            Otklik.Tests.TestLeftovers.Database(admin, (string)cs["Database"]);
            _a.Environment["ConnectionStrings__Postgres"] = _b.Environment["ConnectionStrings__Postgres"] = cs.ConnectionString;
        }
        await _a.InitializeAsync(); // migrates the store and writes the keys first
        await _b.InitializeAsync();
        _key = await _a.KeyAsync("integration");
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private HttpClient Client(ServerProcess node)
    {
        var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        return http;
    }

    private async Task<string> CustomerAsync(int orders = 1)
    {
        var account = "a-" + Guid.NewGuid().ToString("N")[..10];
        using var http = Client(_a);
        var now = DateTimeOffset.UtcNow;
        (await http.PutAsJsonAsync($"/api/v1/accounts/{account}", new { role = "buyer", created_at = now.AddDays(-300), last_active_at = now.AddDays(-1), name = "Анна", phone = "+7916" + Random.Shared.Next(1_000_000, 9_999_999), phone_verified = true })).EnsureSuccessStatusCode();
        for (var i = 0; i < orders; i++)
        {
            (await http.PutAsJsonAsync($"/api/v1/orders/{account}-o{i}", new
            {
                account_id = account,
                status = "delivered",
                created_at = now.AddDays(-6),
                shipped_at = now.AddDays(-4),
                delivered_at = now.AddDays(-2),
                price_rub = 4990,
                return_rules_given = true,
                items = new[] { new { sku = "1", title = "Чайник", qty = 1, price_rub = 4990 } },
            })).EnsureSuccessStatusCode();
        }
        return account;
    }

    private static object Appeal(string account, string? order, string type, string text) =>
        new { channel = "app", requester = new { account_id = account }, order_number = order, problem_type = type, text, attachments = new[] { new { name = "photo1.jpg", content_type = "image/jpeg", size = 182044 } } };

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(ServerProcess node, object body, string? key = null)
    {
        using var http = Client(node);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private async Task<JsonArray> TicketsAsync(string account)
    {
        using var http = Client(_b);
        // The integration key may not list tickets; the account's appeals carry their tickets.
        var body = JsonNode.Parse(await http.GetStringAsync($"/api/v1/accounts/{account}/appeals"))!;
        return body["items"]!.AsArray();
    }

    [Fact]
    public async Task TheLimitDuplicatesIdempotencyAndTheDeferredQueue_HoldAcrossTwoNodes()
    {
        // The flood guard is one bucket in Redis: 6 at once for the requester, whichever node they reach.
        var flooder = await CustomerAsync();
        var statuses = new List<HttpStatusCode>();
        string[] topics =
        [
            "не начислились баллы", "сменить адрес доставки", "курьер опоздал на день", "не приходит код подтверждения",
            "хочу удалить карту из профиля", "промокод не сработал", "двойное списание в банке", "не вижу чек покупки",
            "как стать продавцом", "приложение вылетает при оплате", "подарочный сертификат не активен", "отписаться от рассылки",
        ];
        for (var i = 0; i < topics.Length; i++)
        {
            statuses.Add((await PostAsync(i % 2 == 0 ? _a : _b, Appeal(flooder, null, "other", topics[i]))).Status);
        }
        Assert.Equal(6, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        // …and of those, the exact quota of new tickets (3 at once) was kept by the store.
        var flooderAppeals = await TicketsAsync(flooder);
        Assert.Equal(3, flooderAppeals.Count(a => a!["outcome"]!.GetValue<string>() == "accepted"));

        // The same appeal reaching both nodes at once (two keys): one ticket.
        var twin = await CustomerAsync();
        var same = Appeal(twin, twin + "-o0", "damaged_item", "Чайник пришёл с трещиной на корпусе, прошу замену");
        var both = await Task.WhenAll(PostAsync(_a, same), PostAsync(_b, same));
        Assert.All(both, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        var ticketIds = both.Select(r => r.Body!["ticket"]?["ticket_id"]?.GetValue<string>()).Where(t => t is not null).Distinct().ToList();
        Assert.Single(ticketIds);

        // One idempotency key on both nodes at once: one appeal.
        var keyed = await CustomerAsync();
        var key = Guid.NewGuid().ToString("N");
        var body = Appeal(keyed, null, "other", "Не начислились баллы за заказ, проверьте");
        var sameKey = await Task.WhenAll(PostAsync(_a, body, key), PostAsync(_b, body, key), PostAsync(_a, body, key), PostAsync(_b, body, key));
        Assert.Single(sameKey.Select(r => r.Body!["appeal_id"]!.GetValue<string>()).Distinct());
        Assert.Single(await TicketsAsync(keyed));

        // The deferred queue: appeals deferred on both nodes under a critical load are each admitted once when it eases.
        using (var http = Client(_a))
        {
            (await http.PutAsJsonAsync("/api/v1/capacity", new { agents_online = 0, avg_handle_minutes = 600 })).EnsureSuccessStatusCode();
        }
        await Task.Delay(1500); // the shared load level expires within a second
        var waiting = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var who = await CustomerAsync();
            var (_, decision) = await PostAsync(i % 2 == 0 ? _a : _b, Appeal(who, null, "other", $"Вопрос про бонусы номер {i} {Guid.NewGuid():N}"));
            if (decision!["outcome"]!.GetValue<string>() == "deferred")
            {
                waiting.Add(who);
            }
        }
        Assert.NotEmpty(waiting);
        using (var http = Client(_b))
        {
            (await http.PutAsJsonAsync("/api/v1/capacity", new { agents_online = 500, avg_handle_minutes = 5 })).EnsureSuccessStatusCode();
        }
        foreach (var who in waiting)
        {
            JsonArray appeals = [];
            for (var i = 0; i < 100; i++)
            {
                appeals = await TicketsAsync(who);
                if (appeals.All(a => a!["admitted_ticket"] is not null))
                {
                    break;
                }
                await Task.Delay(200);
            }
            var only = Assert.Single(appeals)!;
            Assert.NotNull(only["admitted_ticket"]);
        }
    }

    [Fact]
    public async Task WithRedisStopped_BothNodesKeepTakingAppeals_AndSaySoInHealth()
    {
        using var http = new HttpClient();
        Assert.Contains("\"redis", await http.GetStringAsync(_a.BaseUrl + "/health/ready"), StringComparison.Ordinal);
        _redis.Stop();
        foreach (var node in new[] { _a, _b })
        {
            var who = await CustomerAsync();
            var (status, _) = await PostAsync(node, Appeal(who, null, "other", "Вопрос про бонусы " + Guid.NewGuid().ToString("N")));
            Assert.Equal(HttpStatusCode.Created, status);
            var health = JsonNode.Parse(await http.GetStringAsync(node.BaseUrl + "/health/ready"))!;
            Assert.Equal("degraded", health["checks"]!["shared_state"]!["status"]!.GetValue<string>());
            Assert.Contains("otklik_shared_state_degraded 1", await http.GetStringAsync(node.BaseUrl + "/metrics"), StringComparison.Ordinal);
        }
        await _redis.StartAsync();
        for (var i = 0; i < 50; i++)
        {
            var health = JsonNode.Parse(await http.GetStringAsync(_a.BaseUrl + "/health/ready"))!;
            if (health["checks"]!["shared_state"]!["status"]!.GetValue<string>() == "healthy")
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail("The node did not see Redis come back.");
    }
}
