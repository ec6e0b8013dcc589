using Microsoft.Playwright;

namespace Otklik.E2E;

/// <summary>
/// A buyer and an agent in Debian's Chromium against the running demo server: the buyer files a
/// damaged-item appeal without a photo, is asked for evidence, adds a photo and gets a ticket; an
/// agent answers and the buyer sees the answer; an agent overrides a held appeal. Each page is kept
/// as a screenshot (OTKLIK_ARTIFACTS, default TestResults/screenshots).
/// </summary>
public sealed class PortalAndWorkspaceTests(ServerProcess server) : IClassFixture<ServerProcess>, IAsyncLifetime
{

    // A tiny valid JPEG (SOI, APP0/JFIF header…), enough for the server's content check.
    private static readonly byte[] s_jpeg =
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    private Chromium _chromium = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _chromium = await Chromium.LaunchAsync();
        _browser = _chromium.Browser;
    }

    public Task DisposeAsync() => _chromium.DisposeAsync().AsTask();

    private async Task<IPage> NewPageAsync(int width = 1100)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        return await context.NewPageAsync();
    }

    // Each phone may ask for 3 codes in 10 minutes, so the tests sign in as different demo buyers.
    private static async Task LogInBuyerAsync(IPage page, string phone = "+7 916 123-45-67")
    {
        await page.GotoAsync("/portal/login");
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("button[type=submit]");
        var code = await page.InnerTextAsync("#demo-code");
        await page.FillAsync("#code", code);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/portal$"));
    }

    private static async Task LogInAgentAsync(IPage page)
    {
        await page.GotoAsync("/workspace/login");
        await page.FillAsync("#name", "agent");
        await page.FillAsync("#password", "otklik-demo");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workspace$"));
    }

    [Fact]
    public async Task Buyer_IsAskedForEvidence_AddsAPhoto_GetsATicket_AgentAnswers_BuyerSeesIt_AgentOverridesAHeldAppeal()
    {
        var buyer = await NewPageAsync(width: 390); // a phone screen
        await LogInBuyerAsync(buyer);
        await Chromium.ShotAsync(buyer, "01-portal-orders");

        await buyer.ClickAsync("a[href='/portal/help?order=38211574-0012']");
        await buyer.ClickAsync("a[href^='/portal/help/damaged_item']");
        await Assertions.Expect(buyer.Locator("#requirements")).ToContainTextAsync("фото");
        await buyer.FillAsync("#text", "Чайник пришёл с трещиной на корпусе, прошу замену");
        await buyer.SelectOptionAsync("#demand", "replacement");
        await Chromium.ShotAsync(buyer, "02-help-with-order");
        await buyer.ClickAsync("#appeal-form button[type=submit]");
        await Assertions.Expect(buyer.Locator("#outcome")).ToHaveAttributeAsync("data-outcome", "needs_info");
        await Assertions.Expect(buyer.Locator("[data-reason=evidence_required]")).ToBeVisibleAsync();
        var heldUrl = buyer.Url;
        await Chromium.ShotAsync(buyer, "03-decision-needs-evidence");

        await buyer.ClickAsync("[data-action=attach_evidence]");
        await Assertions.Expect(buyer.Locator("#text")).ToHaveValueAsync("Чайник пришёл с трещиной на корпусе, прошу замену");
        await buyer.SetInputFilesAsync("#photos", new FilePayload { Name = "трещина.jpg", MimeType = "image/jpeg", Buffer = s_jpeg });
        await buyer.ClickAsync("#appeal-form button[type=submit]");
        await Assertions.Expect(buyer.Locator("#outcome")).ToHaveAttributeAsync("data-outcome", "accepted");
        var ticketNumber = await buyer.InnerTextAsync("#ticket-link");
        await Chromium.ShotAsync(buyer, "04-decision-accepted");

        var agent = await NewPageAsync();
        await LogInAgentAsync(agent);
        await Chromium.ShotAsync(agent, "05-workspace-queue");
        await agent.FillAsync("#q", ticketNumber);
        await agent.ClickAsync("#search button[type=submit]");
        await agent.ClickAsync($"#queue a:text('{ticketNumber}')");
        await agent.FillAsync("#reply", "Здравствуйте, Анна! Оформили замену чайника, курьер приедет завтра.");
        await agent.ClickAsync("#reply-form button[type=submit]");
        await Assertions.Expect(agent.Locator("#conversation")).ToContainTextAsync("Оформили замену");
        await Chromium.ShotAsync(agent, "06-workspace-ticket");

        await buyer.ClickAsync("#ticket-link");
        await Assertions.Expect(buyer.Locator("#conversation .msg.agent")).ToContainTextAsync("Оформили замену");
        await Chromium.ShotAsync(buyer, "07-portal-ticket-answer");

        // The first, held appeal waits in the review queue; the agent turns it into a ticket.
        await agent.GotoAsync("/workspace/review");
        var heldId = heldUrl[(heldUrl.LastIndexOf('/') + 1)..];
        var card = agent.Locator($"[data-appeal='{heldId}']");
        await Assertions.Expect(card).ToContainTextAsync("evidence_required");
        await Chromium.ShotAsync(agent, "08-workspace-review");
        await card.Locator("input[name=reason]").FillAsync("Клиент прислал фото в чат");
        await card.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(agent).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workspace/tickets/t_"));
        await Assertions.Expect(agent.Locator("#conversation")).ToContainTextAsync("Клиент прислал фото в чат");
        await Chromium.ShotAsync(agent, "09-workspace-overridden");
    }

    /// <summary>Files an appeal through the API with the server's generated integration key; returns the ticket id and number.</summary>
    private async Task<(string Id, string Number)> FileAppealAsync(string account, string text)
    {
        var key = await server.KeyAsync("integration");
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { channel = "app", requester = new { account_id = account }, problem_type = "other", text }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await http.SendAsync(request);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ticket = body.RootElement.GetProperty("ticket");
        return (ticket.GetProperty("ticket_id").GetString()!, ticket.GetProperty("number").GetString()!);
    }

    [Fact]
    public async Task Workspace_LiveUpdates_Presence_Macros_Reassign_Merge()
    {
        var (firstId, firstNumber) = await FileAppealAsync("a-1001", "Не начислились баллы за покупку наушников в прошлом месяце");
        var (secondId, _) = await FileAppealAsync("a-1001", "Как изменить адрес доставки по умолчанию в профиле");

        var agent = await NewPageAsync();
        await LogInAgentAsync(agent);
        await agent.GotoAsync($"/workspace/tickets/{firstId}");
        await Assertions.Expect(agent.Locator("#presence")).ToContainTextAsync("Ольга");

        // A supervisor opens the same ticket: the agent sees it without reloading.
        var supervisor = await NewPageAsync();
        await supervisor.GotoAsync("/workspace/login");
        await supervisor.FillAsync("#name", "supervisor");
        await supervisor.FillAsync("#password", "otklik-demo");
        await supervisor.ClickAsync("button[type=submit]");
        await supervisor.GotoAsync($"/workspace/tickets/{firstId}");
        await Assertions.Expect(agent.Locator("#presence")).ToContainTextAsync("Марина", new() { Timeout = 30_000 });

        // The customer writes more on the portal: it appears on the agent's open page.
        var buyer = await NewPageAsync();
        await LogInBuyerAsync(buyer);
        await buyer.GotoAsync($"/portal/tickets/{firstId}");
        await buyer.FillAsync("#text", "Баллов так и нет, проверьте пожалуйста");
        await buyer.ClickAsync("form:has(#text) button[type=submit]");
        await Assertions.Expect(agent.Locator("#conversation")).ToContainTextAsync("Баллов так и нет", new() { Timeout = 30_000 });
        await Chromium.ShotAsync(agent, "10-workspace-live");

        // A canned reply is filled for this customer and ticket.
        await agent.SelectOptionAsync("#macro", new SelectOptionValue { Index = 1 });
        await Assertions.Expect(agent.Locator("#reply")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("Анна Петрова.*" + firstNumber));

        await agent.SelectOptionAsync("#queue", "escalations");
        await agent.SelectOptionAsync("#assignee", "agent");
        await agent.ClickAsync("#assign-form button[type=submit]");
        await Assertions.Expect(agent.Locator("#ticket-queue")).ToHaveTextAsync("escalations");
        await Assertions.Expect(agent.Locator("#ticket-assignee")).ToHaveTextAsync("agent");

        await agent.GotoAsync($"/workspace/tickets/{secondId}");
        await agent.FillAsync("#into", firstNumber);
        await agent.ClickAsync("#merge-form button[type=submit]");
        await Assertions.Expect(agent).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workspace/tickets/" + firstId + "$"));
        await Assertions.Expect(agent.Locator("#conversation")).ToContainTextAsync("адрес доставки");
    }

    [Fact]
    public async Task Portal_SwitchesToEnglish_AndHidesOtherCustomersAppeals()
    {
        var page = await NewPageAsync();
        await LogInBuyerAsync(page, "+7 916 000-00-02");
        await page.ClickAsync("a[lang=en]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("My orders");
        var response = await page.GotoAsync("/portal/appeals/ap_01SOMEONEELSE");
        Assert.Equal(404, response!.Status);
        var wrongCode = await NewPageAsync();
        await wrongCode.GotoAsync("/portal/login");
        await wrongCode.FillAsync("#phone", "+7 916 000-00-03");
        await wrongCode.ClickAsync("button[type=submit]");
        await wrongCode.FillAsync("#code", "000000");
        await wrongCode.ClickAsync("button[type=submit]");
        await Assertions.Expect(wrongCode.Locator(".error")).ToBeVisibleAsync();
    }
}
