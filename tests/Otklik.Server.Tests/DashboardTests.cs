namespace Otklik.Server.Tests;

/// <summary>The supervisor's dashboard numbers: intake by channel and outcome, reasons, load, and each rule's false-block rate.</summary>
public sealed class DashboardTests : IDisposable
{
    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task FalseBlocks_CountOverridesAndAcceptedResubmissions_PerRule()
    {
        var integration = _factory.Integration();
        var account = Api.NewId("a");
        var order = Api.NewId("o");
        await integration.PutAccountAsync(account);
        await integration.PutOrderAsync(order, account, "delivered", deliveredDaysAgo: 3);

        // Held for a missing photo, then sent again and accepted: the customer had to come back, which is
        // what the false-block rate counts against the rule.
        var (_, first) = await integration.PostAppealAsync(Api.Appeal(account, order, "damaged_item", "Чайник пришёл с трещиной на корпусе, прошу замену", photo: false));
        Assert.Equal("needs_info", first.Str("outcome"));
        var (_, second) = await integration.PostAppealAsync(Api.Appeal(account, order, "damaged_item", "Чайник пришёл с трещиной на корпусе, прошу замену"));
        Assert.Equal("accepted", second.Str("outcome"));

        // Held for being too vague, then overridden by an agent.
        var other = Api.NewId("a");
        await integration.PutAccountAsync(other);
        var (_, vague) = await integration.PostAppealAsync(Api.Appeal(other, null, "other", "ааа", photo: false));
        Assert.NotEqual("accepted", vague.Str("outcome"));
        await _factory.Agent().PostJsonAsync($"/api/v1/appeals/{vague.Str("appeal_id")}/override", new { reason = "Клиент дозвонился, вопрос понятен" });

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await _factory.Agent().GetAsync("/api/v1/dashboard?range=24h")).StatusCode);
        _factory.Time.Advance(TimeSpan.FromMinutes(1));
        var dash = await _factory.Supervisor().GetJsonAsync("/api/v1/dashboard?range=24h");
        Assert.Equal("3", dash.Str("appeals"));
        Assert.Contains(dash["intake"]!.AsArray(), i => i!.Str("channel") == "app" && i!.Str("outcome") == "accepted" && i!.Str("count") == "1");
        var rules = dash["false_blocks"]!.AsArray();
        var evidence = rules.Single(r => r!.Str("rule") == "evidence")!;
        Assert.Equal("1", evidence.Str("resubmitted_accepted"));
        Assert.Equal("1", evidence.Str("false_block_rate"));
        var content = rules.Single(r => r!.Str("rule") == "content")!;
        Assert.Equal("1", content.Str("overridden"));
        Assert.Equal(24, dash["outcomes_over_time"]!.AsArray().Count);
        Assert.Contains(dash["reasons_over_time"]!.AsArray(), b => b!["counts"]!.AsObject().ContainsKey("evidence_required"));
        Assert.Equal("normal", dash.Str("load.level"));
        Assert.Equal("3", dash["sla"]!.AsArray().Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
