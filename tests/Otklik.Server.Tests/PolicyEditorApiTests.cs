using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Otklik.Application.Policy;

namespace Otklik.Server.Tests;

/// <summary>The policy through the supervisor's API: check (errors by field, diff), activate, history, and every node follows.</summary>
public sealed class PolicyEditorApiTests : IDisposable
{
    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static string Default(string version, Action<JsonNode>? change = null)
    {
        var node = JsonNode.Parse(PolicyProvider.DefaultJson())!;
        node["version"] = version;
        change?.Invoke(node);
        return node.ToJsonString();
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, string json)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task ACandidateIsChecked_ThenActivated_AndTheNextAppealRecordsItsVersion()
    {
        var supervisor = _factory.Supervisor();
        var current = await supervisor.GetJsonAsync("/api/v1/policy");
        var before = current.Str("version");
        Assert.Equal(before, (await supervisor.GetJsonAsync("/api/v1/policy/versions")).AsArray()[0]!.Str("version"));

        var (status, problem) = await SendAsync(supervisor, HttpMethod.Post, "/api/v1/policy/check", Default("2027-01-01.1", n =>
        {
            n["buyer"]!["rate_burst"] = 0;
            n["load_levels"]!["high_hours"] = 1;
        }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["buyer.rate_burst"]);
        Assert.NotNull(problem["errors"]!["load_levels.high_hours"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(supervisor, HttpMethod.Put, "/api/v1/policy", Default(before))).Status); // a used version

        var candidate = Default("2027-01-01.1", n => n["buyer"]!["rate_burst"] = 4);
        var (checkStatus, check) = await SendAsync(supervisor, HttpMethod.Post, "/api/v1/policy/check", candidate);
        Assert.Equal(HttpStatusCode.OK, checkStatus);
        var diff = check!["diff"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Contains(diff, l => l.StartsWith('+') && l.Contains("\"rate_burst\": 4", StringComparison.Ordinal));
        Assert.Contains(diff, l => l.StartsWith('-') && l.Contains("\"rate_burst\": 3", StringComparison.Ordinal));
        Assert.Equal(before, (await supervisor.GetJsonAsync("/api/v1/policy")).Str("version")); // checking changes nothing

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(_factory.Agent(), HttpMethod.Put, "/api/v1/policy", candidate)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(supervisor, HttpMethod.Put, "/api/v1/policy", candidate)).Status);
        var history = (await supervisor.GetJsonAsync("/api/v1/policy/versions")).AsArray();
        Assert.Equal("2027-01-01.1", history[0]!.Str("version"));
        Assert.Equal("editor", history[0]!.Str("source"));
        Assert.False(string.IsNullOrEmpty(history[0]!.Str("activated_by")));

        var account = Api.NewId("a");
        await _factory.Integration().PutAccountAsync(account);
        var (_, decision) = await _factory.Integration().PostAppealAsync(Api.Appeal(account, null, "other", "Вопрос о политике и версиях", photo: false));
        Assert.Equal("2027-01-01.1", decision.Str("policy_version"));

        // A second node on the same store follows at its next sync.
        using var second = OtklikFactory.At(_factory.DataDirectory);
        second.Settings["Desk:PolicySyncSeconds"] = "3600";
        Assert.Equal("2027-01-01.1", (await second.Supervisor().GetJsonAsync("/api/v1/policy")).Str("version"));
    }

    [Fact]
    public async Task ASimulationRunsInTheBackground_AndReportsChangesPerRule()
    {
        var account = Api.NewId("a");
        await _factory.Integration().PutAccountAsync(account);
        await _factory.Integration().PostAppealAsync(Api.Appeal(account, null, "other", "Вопрос о бонусах за прошлый заказ", photo: false));
        var supervisor = _factory.Supervisor();
        var candidate = JsonNode.Parse(Default("2027-03-01.1", n => n["buyer"]!["min_letters"] = 500))!;
        var (status, started) = await SendAsync(supervisor, HttpMethod.Post, "/api/v1/policy/simulations",
            new JsonObject { ["from"] = "2026-11-01T00:00:00Z", ["to"] = "2026-12-01T00:00:00Z", ["policy"] = candidate }.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode job = started!;
        for (var i = 0; i < 100 && job.Str("status") == "running"; i++)
        {
            await Task.Delay(50);
            job = await supervisor.GetJsonAsync($"/api/v1/policy/simulations/{started!.Str("id")}");
        }
        Assert.Equal("done", job.Str("status"));
        Assert.Equal("2027-03-01.1", job.Str("policy_version"));
        Assert.True(int.Parse(job.Str("result.changed"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains(job["result"]!["rows"]!.AsArray(), r => r!.Str("rule") == "content" && r!.Str("gained") != "0");
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(_factory.Agent(), HttpMethod.Post, "/api/v1/policy/simulations", "{}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(supervisor, HttpMethod.Post, "/api/v1/policy/simulations", """{"from":"2026-12-01T00:00:00Z","to":"2026-11-01T00:00:00Z"}""")).Status);
    }
}
