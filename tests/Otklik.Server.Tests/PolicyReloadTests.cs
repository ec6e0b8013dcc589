using System.Text.Json.Nodes;
using Otklik.Application.Policy;

namespace Otklik.Server.Tests;

/// <summary>The policy is a file: validated, versioned, reloaded without a restart; a bad edit is refused.</summary>
public sealed class PolicyReloadTests : IDisposable
{
    private readonly OtklikFactory _factory = new();
    private readonly string _policyPath;

    public PolicyReloadTests()
    {
        _policyPath = Path.Combine(_factory.DataDirectory, "policy.json");
        File.WriteAllText(_policyPath, WithVersion("2026-12-01.1"));
        _factory.Settings["Desk:PolicyPath"] = _policyPath;
    }

    public void Dispose() => _factory.Dispose();

    private static string WithVersion(string version, Action<JsonNode>? change = null)
    {
        using var stream = typeof(PolicyProvider).Assembly.GetManifestResourceStream("Otklik.Application.Policy.default-policy.json")!;
        var node = JsonNode.Parse(stream)!;
        node["version"] = version;
        change?.Invoke(node);
        return node.ToJsonString();
    }

    private async Task<string> VersionOfNextAppealAsync(HttpClient client, string account)
    {
        var (_, body) = await client.PostAppealAsync(Api.Appeal(account, null, "other", $"Вопрос о политике {Guid.NewGuid():N}", photo: false));
        return body.Str("policy_version");
    }

    [Fact]
    public async Task EditedPolicy_IsUsedByTheNextAppeal_AndAnInvalidEditIsRefused()
    {
        var client = _factory.Integration();
        var account = Api.NewId("a");
        await client.PutAccountAsync(account);
        Assert.Equal("2026-12-01.1", await VersionOfNextAppealAsync(client, account));

        File.WriteAllText(_policyPath, WithVersion("2026-12-02.1"));
        await WaitForAsync(async () => await VersionOfNextAppealAsync(client, account) == "2026-12-02.1");

        // A burst of 0 is invalid: the file is refused and 2026-12-02.1 stays active.
        File.WriteAllText(_policyPath, WithVersion("2026-12-03.1", n => n["buyer"]!["rate_burst"] = 0));
        await Task.Delay(1500);
        Assert.Equal("2026-12-02.1", await VersionOfNextAppealAsync(client, account));
    }

    [Fact]
    public void Parse_InvalidPolicy_NamesEveryBadField()
    {
        var ex = Assert.Throws<PolicyInvalidException>(() => PolicyProvider.Parse(WithVersion("x", n =>
        {
            n["buyer"]!["rate_burst"] = 0;
            n["load_levels"]!["high_hours"] = 1;
        })));
        Assert.Contains(ex.Errors, e => e.Field == "buyer.rate_burst");
        Assert.Contains(ex.Errors, e => e.Field == "load_levels.high_hours");
        Assert.Throws<PolicyInvalidException>(() => PolicyProvider.Parse("{\"version\": 5}"));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("The condition did not hold within 5 seconds.");
    }
}
