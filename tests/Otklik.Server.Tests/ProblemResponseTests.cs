using System.Net;
using System.Net.Http.Json;

namespace Otklik.Server.Tests;

/// <summary>Bad input gets a clear RFC 9457 problem, never a 500 or an empty body.</summary>
public sealed class ProblemResponseTests(OtklikFactory factory) : IClassFixture<OtklikFactory>
{
    private readonly HttpClient _integration = factory.Integration();

    public static TheoryData<string, string> BadAppealBodies => new()
    {
        { "{", "$" },
        { "not json at all", "$" },
        { "[]", "$" },
        { "null", "$" },
        { "{\"channel\": 5}", "channel" },
        { "{\"channel\":\"app\",\"requester\":\"a-1\",\"text\":\"x\"}", "requester" },
        { "{\"channel\":\"fax\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст обращения достаточно длинный\"}", "channel" },
        { "{\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст обращения достаточно длинный\"}", "channel" },
        { "{\"channel\":\"app\",\"text\":\"Текст обращения достаточно длинный\"}", "requester" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"}}", "text" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\",\"phone\":\"+79161234567\"},\"text\":\"Текст обращения\"}", "requester" },
        { "{\"channel\":\"app\",\"requester\":{},\"text\":\"Текст обращения\"}", "requester" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"problem_type\":\"teleport\"}", "problem_type" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"problem_type\":\"payout_issue\",\"role\":\"buyer\"}", "problem_type" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"role\":\"admin\"}", "role" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"demand\":\"money\"}", "demand" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"received_at\":\"2030-01-01T00:00:00+03:00\"}", "received_at" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"received_at\":\"yesterday\"}", "received_at" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"attachments\":[{\"name\":\"a.jpg\",\"size\":-1}]}", "attachments[0].content_type" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст\",\"attachments\":[{\"name\":\"a.jpg\",\"content_type\":\"image/jpeg\",\"size\":\"big\"}]}", "attachments[0].size" },
        { "{\"channel\":\"app\",\"requester\":{\"email\":\"not-an-email\"},\"text\":\"Текст\"}", "requester.email" },
        { "{\"channel\":\"app\",\"requester\":{\"telegram_id\":true},\"text\":\"Текст\"}", "requester.telegram_id" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Текст с нулём \\u0000 внутри, довольно длинный\"}", "$" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Половинка пары \\ud800 суррогатов в тексте\"}", "$" },
        { "{\"channel\":\"app\",\"requester\":{\"account_id\":\"a-1\"},\"text\":\"Один \\udc00 хвост суррогата в тексте\"}", "$" },
    };

    [Theory]
    [MemberData(nameof(BadAppealBodies))]
    public async Task PostAppeal_InvalidBody_Is400ProblemNamingTheField(string body, string field)
    {
        var (response, problem) = await _integration.SendRawAsync(HttpMethod.Post, "/api/v1/appeals", body, key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(400, (int)problem["status"]!);
        Assert.NotNull(problem["title"]);
        Assert.NotNull(problem["type"]);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task PostAppeal_WithoutIdempotencyKey_Is400()
    {
        var (response, problem) = await _integration.SendRawAsync(HttpMethod.Post, "/api/v1/appeals", "{}", key: null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("Idempotency-Key"));
        var (tooLong, _) = await _integration.SendRawAsync(HttpMethod.Post, "/api/v1/appeals", "{}", key: new string('k', 256));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task PostAppeal_WrongContentType_Is415()
    {
        var (response, problem) = await _integration.SendRawAsync(HttpMethod.Post, "/api/v1/appeals", "channel=app", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(415, (int)problem["status"]!);
    }

    [Fact]
    public async Task PostAppeal_OversizedBody_Is413()
    {
        var text = new string('а', 400_000);
        var (response, problem) = await _integration.SendRawAsync(HttpMethod.Post, "/api/v1/appeals", $"{{\"channel\":\"app\",\"requester\":{{\"account_id\":\"a\"}},\"text\":\"{text}\"}}", key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (int)problem["status"]!);
    }

    [Theory]
    [InlineData(40, HttpStatusCode.Created)]
    [InlineData(400_000, HttpStatusCode.RequestEntityTooLarge)]
    public async Task PostAppeal_ChunkedBodyWithoutALength_IsReadWhole_AndHeldToTheSameLimit(int textLength, HttpStatusCode expected)
    {
        var account = Api.NewId("a");
        await _integration.PutAccountAsync(account);
        var json = $"{{\"channel\":\"app\",\"requester\":{{\"account_id\":\"{account}\"}},\"problem_type\":\"other\",\"text\":\"Вопрос про доставку {new string('а', textLength)}\"}}";
        // A stream of unknown length: sent chunked, with no Content-Length to size the read by.
        using var content = new UnsizedContent(System.Text.Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = content };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.TransferEncodingChunked = true;
        var response = await _integration.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task PostAppeal_TextOverTheLimit_Is400()
    {
        var (response, problem) = await _integration.SendRawAsync(HttpMethod.Post, "/api/v1/appeals", $"{{\"channel\":\"app\",\"requester\":{{\"account_id\":\"a\"}},\"text\":\"{new string('б', 10_001)}\"}}", key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("text"));
    }

    [Theory]
    [InlineData("GET", "/api/v1/tickets", null)]
    [InlineData("GET", "/api/v1/appeals/ap_x", null)]
    [InlineData("POST", "/api/v1/appeals", "{}")]
    [InlineData("PUT", "/api/v1/accounts/a-1", "{}")]
    [InlineData("GET", "/api/v1/load", null)]
    public async Task NoKey_Is401Problem(string method, string path, string? body)
    {
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var unknown = factory.As("not-a-real-key-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("/api/v1/tickets")).StatusCode);
    }

    [Theory]
    [InlineData("agent", "POST", "/api/v1/appeals")]
    [InlineData("agent", "PUT", "/api/v1/accounts/a-1")]
    [InlineData("agent", "PUT", "/api/v1/capacity")]
    [InlineData("integration", "POST", "/api/v1/tickets/t_x/messages")]
    [InlineData("integration", "POST", "/api/v1/tickets/t_x/status")]
    [InlineData("integration", "GET", "/api/v1/appeals/ap_x/trace")]
    [InlineData("supervisor", "POST", "/api/v1/appeals")]
    public async Task WrongRole_Is403Problem(string role, string method, string path)
    {
        var client = factory.As(role switch { "agent" => OtklikFactory.AgentKey, "integration" => OtklikFactory.IntegrationKey, _ => OtklikFactory.SupervisorKey });
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "x");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Api.BodyAsync(response);
        Assert.Equal(403, (int)problem["status"]!);
    }

    [Theory]
    [InlineData("/api/v1/appeals/ap_01NOPE")]
    [InlineData("/api/v1/appeals/ap_01NOPE/trace")]
    [InlineData("/api/v1/tickets/t_01NOPE")]
    [InlineData("/api/v1/no-such-route")]
    public async Task UnknownIds_Are404Problems(string path)
    {
        var response = await factory.Supervisor().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await Api.BodyAsync(response);
        Assert.Equal(404, (int)problem["status"]!);
    }

    [Fact]
    public async Task DirectoryValidation_NamesTheFields()
    {
        var r1 = await _integration.PutAsJsonAsync("/api/v1/accounts/a-x", new { role = "admin" });
        var p1 = await Api.BodyAsync(r1);
        Assert.Equal(HttpStatusCode.BadRequest, r1.StatusCode);
        Assert.True(p1["errors"]!.AsObject().ContainsKey("role"));
        Assert.True(p1["errors"]!.AsObject().ContainsKey("created_at"));
        var r2 = await _integration.PutAsJsonAsync("/api/v1/orders/o-x", new { account_id = "a-x", status = "lost", created_at = DateTimeOffset.UtcNow });
        Assert.Equal(HttpStatusCode.BadRequest, r2.StatusCode);
        var r3 = await _integration.PutAsJsonAsync("/api/v1/identities/fax/123", new { account_id = "a-x" });
        Assert.Equal(HttpStatusCode.BadRequest, r3.StatusCode);
        var r4 = await factory.Supervisor().PutAsJsonAsync("/api/v1/capacity", new { agents_online = -1, avg_handle_minutes = 0 });
        var p4 = await Api.BodyAsync(r4);
        Assert.Equal(HttpStatusCode.BadRequest, r4.StatusCode);
        Assert.Equal(2, p4["errors"]!.AsObject().Count);
    }

    [Fact]
    public async Task TicketList_BadQuery_Is400()
    {
        var agent = factory.Agent();
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/tickets?queue=vip")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/tickets?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/tickets?limit=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/tickets?cursor=%%%")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.PostAsJsonAsync("/api/v1/tickets/t_x/status", new { status = "lost" })).StatusCode);
    }
}
