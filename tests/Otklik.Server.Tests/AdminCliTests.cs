using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Access;
using Otklik.Cli;
using Otklik.Data;
using Otklik.Server.Auth;

namespace Otklik.Server.Tests;

/// <summary>The <c>otklik</c> admin CLI on the store a running desk uses: keys (hashed, rotated), imports, exports, agents.</summary>
public sealed class AdminCliTests : IDisposable
{
    private readonly OtklikFactory _desk = new();

    public void Dispose() => _desk.Dispose();

    private async Task<(int Code, string Out, string Error)> CliAsync(params string[] args)
    {
        _ = _desk.Services; // the desk has started and migrated the store
        var store = _desk.PostgresConnectionString is { } pg ? new[] { "--postgres", pg } : ["--data-dir", _desk.DataDirectory];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await OtklikCli.RunAsync([.. args, .. store], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task RefreshKeysAsync()
    {
        await using var scope = _desk.Services.CreateAsyncScope();
        await _desk.Services.GetRequiredService<ApiKeyStore>().RefreshAsync(scope.ServiceProvider.GetRequiredService<ApiKeys>(), CancellationToken.None);
    }

    /// <summary>The CLI runs on the real clock, the desk on the test's: bring the desk to just after the latest revocation.</summary>
    private async Task MoveDeskPastRevocationAsync()
    {
        await using var scope = _desk.Services.CreateAsyncScope();
        var revoked = await scope.ServiceProvider.GetRequiredService<OtklikDbContext>().ApiKeys.AsNoTracking().Where(k => k.RevokedAt != null).Select(k => k.RevokedAt!.Value).ToListAsync();
        var latest = revoked.Max();
        if (latest >= _desk.Time.GetUtcNow())
        {
            _desk.Time.SetUtcNow(latest.AddSeconds(1));
        }
    }

    private async Task<HttpStatusCode> PutAccountWithAsync(string key)
    {
        var client = _desk.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await client.PutAsJsonAsync($"/api/v1/accounts/{Api.NewId("a")}", new { role = "buyer", created_at = Api.Now.AddDays(-100) });
        return response.StatusCode;
    }

    [Fact]
    public async Task KeysAreCreatedShownOnce_StoredHashed_AndRotated()
    {
        var (code, output, _) = await CliAsync("keys", "create", "--name", "crm", "--role", "integration");
        Assert.Equal(0, code);
        var key = output.Split(':', 2)[1].Split('\n')[0].Trim();
        Assert.StartsWith("ok_int_", key, StringComparison.Ordinal);
        await RefreshKeysAsync();
        Assert.True((await PutAccountWithAsync(key)) is HttpStatusCode.OK or HttpStatusCode.Created);

        await using (var scope = _desk.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<OtklikDbContext>().ApiKeys.AsNoTracking().SingleAsync(k => k.Name == "crm");
            Assert.Equal(ApiKeys.Hash(key), stored.Hash);
            Assert.DoesNotContain(key, stored.Hash + stored.Prefix, StringComparison.Ordinal);
        }
        var (_, list, _) = await CliAsync("keys", "list");
        Assert.Contains("crm", list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);

        var (rotated, rotateOut, _) = await CliAsync("keys", "rotate", "--name", "crm", "--grace", "00:00:00");
        Assert.Equal(0, rotated);
        var fresh = rotateOut.Split(':', 2)[1].Split('\n')[0].Trim();
        await MoveDeskPastRevocationAsync();
        await RefreshKeysAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await PutAccountWithAsync(key));
        Assert.True((await PutAccountWithAsync(fresh)) is HttpStatusCode.OK or HttpStatusCode.Created);

        Assert.Equal(0, (await CliAsync("keys", "revoke", "--name", "crm")).Code);
        await MoveDeskPastRevocationAsync();
        await RefreshKeysAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await PutAccountWithAsync(fresh));
        Assert.Equal(1, (await CliAsync("keys", "create", "--name", "x", "--role", "root")).Code);
    }

    [Fact]
    public async Task AccountsAndOrdersImport_ABadLineIsReportedAndSkipped_AndDecisionsExportAsCsv()
    {
        var id = Api.NewId("a");
        var accounts = Path.Combine(_desk.DataDirectory, "accounts.csv");
        await File.WriteAllTextAsync(accounts, $"""
            account_id,role,created_at,last_active_at,name,phone,phone_verified,email,email_verified,blocked
            {id},buyer,2025-01-10T00:00:00Z,2026-11-20T00:00:00Z,"Петрова, Анна",+7 916 555-01-02,true,anna@example.ru,true,false
            {id}-bad,wizard,2025-01-10T00:00:00Z,,,,,,,
            """);
        var (code, output, error) = await CliAsync("import", "accounts", accounts);
        Assert.Equal(2, code);
        Assert.Contains("imported 1, refused 1", output, StringComparison.Ordinal);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        var account = await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{id}");
        Assert.Equal("Петрова, Анна", account.Str("name"));

        var orders = Path.Combine(_desk.DataDirectory, "orders.json");
        await File.WriteAllTextAsync(orders, $$"""[{ "number": "{{id}}-o1", "account_id": "{{id}}", "status": "delivered", "created_at": "2026-11-10T10:00:00Z", "delivered_at": "2026-11-20T10:00:00Z", "price_rub": 4990 }]""");
        Assert.Equal(0, (await CliAsync("import", "orders", orders)).Code);

        var (_, decision) = await _desk.Integration().PostAppealAsync(Api.Appeal(id, $"{id}-o1", "damaged_item", "Чайник пришёл с трещиной на корпусе, прошу замену"));
        var csv = Path.Combine(_desk.DataDirectory, "decisions.csv");
        Assert.Equal(0, (await CliAsync("export", "decisions", "--from", "2026-01-01", "--to", "2027-01-01", "--out", csv)).Code);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.StartsWith("appeal_id,received_at,channel", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines, l => l.StartsWith(decision.Str("appeal_id"), StringComparison.Ordinal));
        Assert.Contains(",accepted,", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Чайник", string.Join('\n', lines), StringComparison.Ordinal);

        Assert.Equal(0, (await CliAsync("agents", "create", "--login", "olga", "--name", "Ольга", "--role", "supervisor", "--password", "long-enough-1")).Code);
        Assert.Equal(1, (await CliAsync("agents", "create", "--login", "olga", "--name", "Ольга", "--password", "long-enough-1")).Code);
    }
}
