using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Otklik.Server.Tests;

/// <summary>
/// The real server (Program) on a fresh SQLite store in a temp directory, with known keys and a
/// clock the test moves. Each instance is its own desk.
/// </summary>
public sealed class OtklikFactory : WebApplicationFactory<Program>
{
    public const string IntegrationKey = "test-integration-key-0001";
    public const string AgentKey = "test-agent-key-000000001";
    public const string SupervisorKey = "test-supervisor-key-0001";

    /// <summary>Wednesday 25 Nov 2026, 12:00 Moscow.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public OtklikFactory()
        : this(null)
    {
    }

    /// <summary>A server on an existing data directory: a restart.</summary>
    public static OtklikFactory At(string dataDirectory) => new(dataDirectory);

    private OtklikFactory(string? dataDirectory)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "otklik-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Otklik.Tests.TestLeftovers.Directory(DataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>
    /// Set OTKLIK_TEST_POSTGRES to an admin connection string (a role that may create databases) and
    /// every desk gets its own fresh PostgreSQL database instead of SQLite.
    /// </summary>
    public static string? PostgresAdmin => Environment.GetEnvironmentVariable("OTKLIK_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public string? PostgresConnectionString { get; private set; }

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Extra service registrations (test doubles at the edges); set before the first client is created.</summary>
    public Action<IServiceCollection>? ExtraServices { get; set; }

    /// <summary>Extra configuration for this desk; set before the first client is created.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data-dir", DataDirectory);
        if (PostgresAdmin is { } admin)
        {
            PostgresConnectionString ??= CreateDatabase(admin, DataDirectory);
            builder.UseSetting("ConnectionStrings:Postgres", PostgresConnectionString);
        }
        builder.UseSetting("Auth:ApiKeys:0:Name", "tests-integration");
        builder.UseSetting("Auth:ApiKeys:0:Key", IntegrationKey);
        builder.UseSetting("Auth:ApiKeys:0:Role", "integration");
        builder.UseSetting("Auth:ApiKeys:1:Name", "tests-agent");
        builder.UseSetting("Auth:ApiKeys:1:Key", AgentKey);
        builder.UseSetting("Auth:ApiKeys:1:Role", "agent");
        builder.UseSetting("Auth:ApiKeys:2:Name", "tests-supervisor");
        builder.UseSetting("Auth:ApiKeys:2:Key", SupervisorKey);
        builder.UseSetting("Auth:ApiKeys:2:Role", "supervisor");
        builder.UseSetting("Desk:AdmissionIntervalSeconds", "3600");
        builder.UseSetting("Desk:SlaSweepSeconds", "3600");
        // Timers run on the fake clock: long intervals keep a jump of months from firing them millions of times.
        builder.UseSetting("Desk:OutboxIntervalSeconds", "3600");
        builder.UseSetting("Desk:PolicySyncSeconds", "3600");
        builder.UseSetting("Desk:KeyRefreshSeconds", "3600");
        // Every answer the embedded writer gives from memory is checked against the store in every test.
        builder.UseSetting("Desk:VerifyWriterCache", "true");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            ExtraServices?.Invoke(services);
        });
    }

    public HttpClient As(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Integration() => As(IntegrationKey);

    public HttpClient Agent() => As(AgentKey);

    public HttpClient Supervisor() => As(SupervisorKey);

    /// <summary>One database per data directory, so a restart (same directory) finds its data again.</summary>
    private static string CreateDatabase(string admin, string dataDirectory)
    {
        var name = "otklik_t_" + Path.GetFileName(dataDirectory).ToLowerInvariant();
        Otklik.Tests.TestLeftovers.Database(admin, name);
        // Many test desks run at once on one server: small pools that let idle connections go quickly.
        var target = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 10, ConnectionIdleLifetime = 5, ConnectionPruningInterval = 1 };
        using var connection = new Npgsql.NpgsqlConnection(admin);
        connection.Open();
        using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", connection);
        exists.Parameters.AddWithValue("n", name);
        if (exists.ExecuteScalar() is null)
        {
            using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return target.ConnectionString;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && PostgresConnectionString is { } cs)
        {
            using var connection = new Npgsql.NpgsqlConnection(cs);
            Npgsql.NpgsqlConnection.ClearPool(connection); // the desk is gone: give its connections back now
        }
    }
}

/// <summary>Small helpers that speak the contract of api.md.</summary>
public static class Api
{
    public static readonly DateTimeOffset Now = OtklikFactory.Start;

    public static async Task PutAccountAsync(this HttpClient client, string id, string role = "buyer", int ageDays = 300, int idleDays = 1,
        string? phone = null, bool phoneVerified = true, bool blocked = false, string name = "Анна Петрова", string? email = null)
    {
        var body = new
        {
            role,
            created_at = Now.AddDays(-ageDays),
            last_active_at = Now.AddDays(-idleDays),
            name,
            phone = phone ?? "+7916" + Math.Abs(id.GetHashCode(StringComparison.Ordinal) % 10_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
            phone_verified = phoneVerified,
            email = email ?? id + "@example.ru",
            email_verified = true,
            blocked,
        };
        var response = await client.PutAsJsonAsync($"/api/v1/accounts/{id}", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task PutOrderAsync(this HttpClient client, string number, string account, string status = "delivered", int deliveredDaysAgo = 5, decimal price = 4990)
    {
        var body = new
        {
            account_id = account,
            status,
            created_at = Now.AddDays(-deliveredDaysAgo - 4),
            shipped_at = status is "shipped" or "delivered" or "returned" ? Now.AddDays(-deliveredDaysAgo - 2) : (DateTimeOffset?)null,
            delivered_at = status is "delivered" or "returned" ? Now.AddDays(-deliveredDaysAgo) : (DateTimeOffset?)null,
            price_rub = price,
            return_rules_given = true,
            items = new[] { new { sku = "1", title = "Чайник", qty = 1, price_rub = price } },
        };
        var response = await client.PutAsJsonAsync($"/api/v1/orders/{number}", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Unique ids per test, so tests sharing one desk never see each other's requesters (or make a spam wave).</summary>
    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public static object Appeal(string account, string? order = "o-1", string type = "damaged_item", string? text = null,
        bool photo = true, string channel = "app", string? demand = null, DateTimeOffset? receivedAt = null) => new
        {
            channel,
            requester = new { account_id = account },
            role = "buyer",
            order_number = order,
            problem_type = type,
            demand,
            text = text ?? $"Чайник пришёл с трещиной на корпусе, прошу замену (покупатель {account})",
            attachments = photo ? new[] { new { name = "photo1.jpg", content_type = "image/jpeg", size = 182044 } } : [],
            received_at = receivedAt,
        };

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> PostAppealAsync(this HttpClient client, object body, string? key = null, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        var response = await client.SendAsync(request);
        return (response, await BodyAsync(response));
    }

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> SendRawAsync(this HttpClient client, HttpMethod method, string path, string content, string contentType = "application/json", string? key = "k")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(content, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        var response = await client.SendAsync(request);
        return (response, await BodyAsync(response));
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await BodyAsync(response);
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string path, object body, int expectedStatus = 200)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var json = await BodyAsync(response);
        Assert.True(expectedStatus == (int)response.StatusCode, $"{path}: {(int)response.StatusCode} {json.ToJsonString()}");
        return json;
    }

    public static async Task<JsonNode> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrEmpty(text), $"{(int)response.StatusCode} with an empty body");
        return JsonNode.Parse(text)!;
    }

    public static string Str(this JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            current = int.TryParse(part, out var i)
                ? current is JsonArray array && i < array.Count ? array[i] : null
                : current?[part];
        }
        return current?.GetValueKind() == JsonValueKind.String ? current.GetValue<string>() : current?.ToJsonString() ?? "null";
    }
}
