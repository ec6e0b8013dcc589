using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Portal;

namespace Otklik.Server.Tests;

/// <summary>
/// Nobody gets in where they don't belong: every API route refuses a caller without a key and a key of
/// a role it does not allow; a signed-in customer gets 404 for every other customer's appeal, ticket,
/// document and order on the portal, and cannot post into them; forms need their anti-forgery token;
/// session cookies are HttpOnly and SameSite.
/// </summary>
public sealed partial class AuthorizationTests : IDisposable
{
    private readonly OtklikFactory _factory = new();
    private readonly CapturingCodes _codes = new();

    public AuthorizationTests()
    {
        _factory.ExtraServices = services => services.AddSingleton<IOneTimeCodeSender>(_codes);
    }

    public void Dispose() => _factory.Dispose();

    private sealed class CapturingCodes : IOneTimeCodeSender
    {
        public ConcurrentDictionary<string, string> Last { get; } = new();

        public bool ShowsCodeOnPage => false;

        public Task SendAsync(string phone, string code, CancellationToken ct)
        {
            Last[phone] = code;
            return Task.CompletedTask;
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();

    private static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return TokenRegex().Match(html).Groups[1].Value;
    }

    private async Task<HttpClient> SignInAsync(string phone)
    {
        var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await TokenAsync(client, "/portal/login");
        await client.PostAsync("/portal/login?handler=Phone", new FormUrlEncodedContent(new Dictionary<string, string> { ["phone"] = phone, ["__RequestVerificationToken"] = token }));
        var code = _codes.Last[phone];
        var response = await client.PostAsync("/portal/login?handler=Code", new FormUrlEncodedContent(new Dictionary<string, string> { ["phone"] = phone, ["code"] = code, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("otklik.portal", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        return client;
    }

    [Fact]
    public async Task EveryApiRoute_RefusesNoKeyAndTheWrongRole()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true).ToList();
        var anonymous = _factory.CreateClient();
        var byRole = new Dictionary<string, HttpClient> { ["integration"] = _factory.Integration(), ["agent"] = _factory.Agent(), ["supervisor"] = _factory.Supervisor() };
        foreach (var endpoint in endpoints)
        {
            var path = Regex.Replace(Regex.Replace(endpoint.RoutePattern.RawText!, "{[^}:]+:int}", "2027"), "{[^}]+}", "x-1");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
                var status = (await anonymous.SendAsync(request)).StatusCode;
                if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
                {
                    // The channels' webhooks: no key, but nothing gets through without their signature or secret.
                    Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType,
                        $"{method} {path} without a key or signature → {status}");
                    continue;
                }
                Assert.True(status == HttpStatusCode.Unauthorized, $"{method} {path} without a key → {status}");
                var allowed = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
                foreach (var (role, client) in byRole)
                {
                    var permitted = allowed.Count == 0 || allowed.All(p => p == role || p == "any_role" || (p == "agent_or_supervisor" && role != "integration") || (p == "integration_or_supervisor" && role != "agent"));
                    using var again = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
                    var roleStatus = (await client.SendAsync(again)).StatusCode;
                    Assert.True(permitted ? roleStatus != HttpStatusCode.Forbidden : roleStatus == HttpStatusCode.Forbidden, $"{method} {path} as {role} → {roleStatus}");
                }
            }
        }
    }

    [Fact]
    public async Task ACustomer_GetsNotFoundForEverythingOfAnotherCustomer_OnThePortal()
    {
        var integration = _factory.Integration();
        var (owner, ownerPhone, ownerOrder) = (Api.NewId("a"), "+7916" + Random.Shared.Next(1_000_000, 9_999_999), Api.NewId("o"));
        var (stranger, strangerPhone) = (Api.NewId("a"), "+7916" + Random.Shared.Next(1_000_000, 9_999_999));
        await integration.PutAccountAsync(owner, phone: ownerPhone);
        await integration.PutAccountAsync(stranger, phone: strangerPhone);
        await integration.PutOrderAsync(ownerOrder, owner, "delivered", deliveredDaysAgo: 3);
        var (_, accepted) = await integration.PostAppealAsync(Api.Appeal(owner, ownerOrder, "damaged_item", "Чайник пришёл с трещиной на корпусе, прошу замену"));
        var (_, held) = await integration.PostAppealAsync(Api.Appeal(owner, null, "other", "ааа", photo: false));
        var ticket = accepted.Str("ticket.ticket_id");

        var mine = await SignInAsync(ownerPhone);
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/portal/tickets/{ticket}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/portal/appeals/{held.Str("appeal_id")}")).StatusCode);

        var theirs = await SignInAsync(strangerPhone);
        string[] routes =
        [
            $"/portal/tickets/{ticket}", $"/portal/appeals/{accepted.Str("appeal_id")}", $"/portal/appeals/{held.Str("appeal_id")}",
            $"/portal/tickets/{ticket}?handler=Document&kind=claim&format=pdf", $"/portal/tickets/{ticket}?handler=Document&kind=regulator-complaint&format=html",
        ];
        foreach (var route in routes)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await theirs.GetAsync(route)).StatusCode);
        }
        var help = await theirs.GetAsync($"/portal/help/damaged_item?order={ownerOrder}");
        Assert.True(help.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Redirect || !(await help.Content.ReadAsStringAsync()).Contains(ownerOrder, StringComparison.Ordinal),
            "another customer's order is not shown");
        var pages = await theirs.GetStringAsync("/portal") + await theirs.GetStringAsync("/portal/appeals");
        Assert.DoesNotContain(ownerOrder, pages, StringComparison.Ordinal);
        Assert.DoesNotContain(ticket, pages, StringComparison.Ordinal);

        // Writing into someone else's ticket: 404, and nothing lands.
        var (_, own) = await integration.PostAppealAsync(Api.Appeal(stranger, null, "payment_issue", "Списали деньги дважды за одну покупку", photo: false));
        var token = await TokenAsync(theirs, $"/portal/tickets/{own.Str("ticket.ticket_id")}");
        Assert.NotEmpty(token);
        var post = await theirs.PostAsync($"/portal/tickets/{ticket}", new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "чужое сообщение", ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var full = await _factory.Agent().GetJsonAsync($"/api/v1/tickets/{ticket}");
        Assert.DoesNotContain(full["messages"]!.AsArray(), m => m!.Str("text") == "чужое сообщение");

        // A form without its anti-forgery token is refused, even for the ticket's owner.
        var forged = await mine.PostAsync($"/portal/tickets/{ticket}", new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "без токена" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // Signed out: the portal sends to the login page, the API answers 401.
        var nobody = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await nobody.GetAsync($"/portal/tickets/{ticket}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode);
    }

    [Fact]
    public async Task HtmlInACustomersText_IsShownAsText_OnThePortalAndInTheWorkspace()
    {
        const string Hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> Чайник треснул, нужна замена";
        var integration = _factory.Integration();
        var (account, phone) = (Api.NewId("a"), "+7916" + Random.Shared.Next(1_000_000, 9_999_999));
        await integration.PutAccountAsync(account, phone: phone, name: "<b>Анна</b>");
        var (_, decision) = await integration.PostAppealAsync(Api.Appeal(account, null, "payment_issue", Hostile, photo: false));
        var ticket = decision.Str("ticket.ticket_id");

        var portal = await (await SignInAsync(phone)).GetStringAsync($"/portal/tickets/{ticket}");
        await _factory.Supervisor().PostJsonAsync("/api/v1/agents", new { name = "xss-agent", display_name = "Агент", password = "long-enough-pass", role = "agent" }, 201);
        var agent = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await TokenAsync(agent, "/workspace/login");
        await agent.PostAsync("/workspace/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "xss-agent", ["password"] = "long-enough-pass", ["__RequestVerificationToken"] = token }));
        var workspace = await agent.GetStringAsync($"/workspace/tickets/{ticket}");
        foreach (var html in new[] { portal, workspace })
        {
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("<b>Анна</b>", workspace, StringComparison.Ordinal);
        // The agent sees the appeal behind the ticket, with the gate's trace of its decision.
        Assert.Contains($"<strong>{decision.Str("appeal_id")}</strong>: accepted", workspace, StringComparison.Ordinal);
    }
}
