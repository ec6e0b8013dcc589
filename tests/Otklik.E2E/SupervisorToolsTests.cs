using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Otklik.E2E;

/// <summary>
/// The supervisor's tools in Debian's Chromium against the demo server: the dashboard's charts and
/// tables, and the policy editor — an invalid policy is refused with the field named, a valid one is
/// diffed, activated, and recorded by the next appeal.
/// </summary>
public sealed class SupervisorToolsTests(ServerProcess server) : IClassFixture<ServerProcess>, IAsyncLifetime
{

    private Chromium _chromium = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _chromium = await Chromium.LaunchAsync();
        _browser = _chromium.Browser;
    }

    public Task DisposeAsync() => _chromium.DisposeAsync().AsTask();

    private async Task<IPage> LogInAsync(string name)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/workspace/login");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", "otklik-demo");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workspace$"));
        return page;
    }

    private async Task<HttpClient> IntegrationAsync()
    {
        var key = await server.KeyAsync("integration");
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private async Task<JsonNode> AppealAsync(string account, string type, string text, bool photo)
    {
        using var http = await IntegrationAsync();
        var body = new
        {
            channel = "app",
            requester = new { account_id = account },
            problem_type = type,
            text,
            attachments = photo ? new[] { new { name = "p.jpg", content_type = "image/jpeg", size = 1000 } } : [],
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Dashboard_ShowsIntakeReasonsLoadSlaAndFalseBlocks_ToSupervisorsOnly()
    {
        await AppealAsync("a-2101", "other", "Не начислились баллы за покупку в прошлом месяце", photo: false);
        await AppealAsync("a-2102", "other", "ааа", photo: false);
        var page = await LogInAsync("supervisor");
        await page.ClickAsync("nav >> text=Панель");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workspace/dashboard"));
        await page.ClickAsync(".ranges >> text=24h");
        await Assertions.Expect(page.Locator("#chart-outcomes svg rect").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chart-reasons")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dash-intake tr[data-channel=app]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dash-load [data-level]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("normal|elevated|high|critical"));
        await Assertions.Expect(page.Locator("#dash-sla tr[data-clock=first_response]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dash-false-blocks tr[data-rule=content]")).ToBeVisibleAsync();
        await Chromium.ShotAsync(page, "08-dashboard");

        var agent = await LogInAsync("agent");
        var response = await agent.GotoAsync("/workspace/dashboard");
        Assert.DoesNotContain("/workspace/dashboard", agent.Url, StringComparison.Ordinal); // sent to access denied
        Assert.NotNull(response);
        await Assertions.Expect(agent.Locator("#chart-outcomes")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PolicyEditor_RefusesAnInvalidPolicyByField_ActivatesAValidOne_AndTheNextAppealRecordsIt()
    {
        var page = await LogInAsync("supervisor");
        await page.GotoAsync("/workspace/policy");
        var current = JsonNode.Parse(await page.InputValueAsync("#policy-json"))!;
        var before = current["version"]!.GetValue<string>();
        await Assertions.Expect(page.Locator("#policy-current [data-version]")).ToHaveTextAsync(before);

        var invalid = current.DeepClone();
        invalid["version"] = "2027-02-01.1";
        invalid["buyer"]!["rate_burst"] = 0;
        await page.FillAsync("#policy-json", invalid.ToJsonString());
        await page.ClickAsync("#policy-check");
        await Assertions.Expect(page.Locator("#policy-errors li[data-field='buyer.rate_burst']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#policy-activate")).ToHaveCountAsync(0);
        await Chromium.ShotAsync(page, "09-policy-refused");

        var valid = current.DeepClone();
        valid["version"] = "2027-02-01.1";
        valid["buyer"]!["spam_max_appeals_per_day"] = 25;
        await page.FillAsync("#policy-json", valid.ToJsonString());
        await page.ClickAsync("#policy-check");
        await Assertions.Expect(page.Locator("#policy-diff .add", new() { HasText = "spam_max_appeals_per_day" })).ToContainTextAsync("25");
        await Assertions.Expect(page.Locator("#policy-diff .del", new() { HasText = "spam_max_appeals_per_day" })).ToContainTextAsync("30");
        await page.ClickAsync("#policy-activate");
        await Assertions.Expect(page.Locator("#policy-activated")).ToContainTextAsync("2027-02-01.1");
        await Assertions.Expect(page.Locator("#policy-history tbody tr").First).ToContainTextAsync("2027-02-01.1");
        await Assertions.Expect(page.Locator("#policy-history tbody tr").First).ToContainTextAsync("Марина");
        await Chromium.ShotAsync(page, "10-policy-activated");

        var decision = await AppealAsync("a-2103", "other", "Вопрос после смены политики про бонусы", photo: false);
        Assert.Equal("2027-02-01.1", decision["policy_version"]!.GetValue<string>());

        // Before switching the next one on: replay the past appeals through it and see what would change.
        var stricter = valid.DeepClone();
        stricter["version"] = "2027-02-02.1";
        stricter["buyer"]!["min_letters"] = 200;
        await page.FillAsync("#policy-json", stricter.ToJsonString());
        await page.ClickAsync("#policy-simulate");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workspace/policy/simulations/sim_"));
        await Assertions.Expect(page.Locator("#simulation-status")).ToHaveAttributeAsync("data-status", "done");
        await Assertions.Expect(page.Locator("#simulation-result tr[data-rule=content]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#simulation-summary")).ToContainTextAsync("decisions change");
        await Chromium.ShotAsync(page, "11-policy-replay");
    }
}
