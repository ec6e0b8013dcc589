using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Otklik.Channels.Abstractions;
using Otklik.Channels.Email;

namespace Otklik.Server.Tests;

/// <summary>
/// Bad input, generated: every endpoint with random ids and bodies under every role, the intake with
/// random JSON, and every channel's payload (Telegram updates, VK callbacks, call events, raw mail) —
/// never a 500, never a hang; and the MIME reader over mangled mail never throws. Bounded: a few
/// hundred cases per run, from a fixed seed unless OTKLIK_FUZZ_SEED says otherwise (the seed is in
/// every failure message).
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private const string PhoneSecret = "phone-secret-fuzz-0001";
    private const string VkSecret = "vk-secret-fuzz-00001";
    private const string EmailSecret = "email-secret-fuzz-0001";
    private static readonly string[] s_fields =
    [
        "channel", "requester", "account_id", "phone", "telegram_id", "vk_id", "email", "role", "order_number", "problem_type", "demand", "text",
        "attachments", "name", "content_type", "size", "claimed", "received_at", "status", "created_at", "price_rub", "items", "reason", "queue",
        "assignee", "agents_online", "avg_handle_minutes", "success", "call_id", "line", "caller", "started_at", "ended_at", "answered", "ivr",
        "summary", "type", "group_id", "secret", "event_id", "object", "message", "from_id", "peer_id", "update_id", "callback_query", "data",
    ];

    private readonly OtklikFactory _factory = new();
    private readonly TelegramBotApi _telegram = new();
    // A fixed seed keeps CI repeatable; OTKLIK_FUZZ_SEED=<number> replays a case, OTKLIK_FUZZ_SEED=random explores.
    private readonly int _seed = Environment.GetEnvironmentVariable("OTKLIK_FUZZ_SEED") switch
    {
        "random" => Random.Shared.Next(),
        { Length: > 0 } given => int.Parse(given, CultureInfo.InvariantCulture),
        _ => 20261125,
    };

    public async Task InitializeAsync()
    {
        await _telegram.StartAsync(_factory);
        _factory.Settings["Channels:Phone:Secret"] = PhoneSecret;
        _factory.Settings["Channels:Vk:Secret"] = VkSecret;
        _factory.Settings["Channels:Vk:Confirmation"] = "confirm-fuzz";
        _factory.Settings["Channels:Vk:GroupId"] = "77";
        _factory.Settings["Channels:Vk:ApiBaseUrl"] = "http://127.0.0.1:9";
        _factory.Settings["Channels:Email:Address"] = "support@otklik.test";
        _factory.Settings["Channels:Email:WebhookSecret"] = EmailSecret;
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _telegram.DisposeAsync();
    }

    private static Gen<string> Text => Gen.OneOf(
        Gen.Elements("", " ", "null", "0", "-1", "1e309", "../../etc/passwd", "%00", "<script>alert(1)</script>", "\u0000", "\ud800", "T-000001",
            "a-1001", "buyer", "damaged_item", "refund", "app", "telegram", "2026-11-25T09:00:00Z", "9999-12-31T23:59:59Z", new string('я', 5000)),
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
        ArbMap.Default.GeneratorFor<NonWhiteSpaceString>().Select(s => s.Get));

    private static Gen<JsonNode?> Json(int depth) => depth <= 0
        ? Gen.OneOf(
            Text.Select(s => (JsonNode?)JsonValue.Create(s)),
            ArbMap.Default.GeneratorFor<long>().Select(n => (JsonNode?)JsonValue.Create(n)),
            ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => (JsonNode?)JsonValue.Create(f.Get)),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Constant<JsonNode?>(null))
        : Gen.Frequency<JsonNode?>(
            (3, Json(0)),
            (2, Gen.Choose(0, 8).SelectMany(n => Gen.ListOf(Gen.Zip(Gen.Elements(s_fields), Json(depth - 1)), n)).Select(pairs =>
            {
                var o = new JsonObject();
                foreach (var (k, v) in pairs)
                {
                    o[k] = v?.DeepClone();
                }
                return (JsonNode?)o;
            })),
            (1, Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(Json(depth - 1), n)).Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())]))));

    private static Gen<string> Body => Gen.Frequency<string>(
        (6, Json(3).Select(n => n?.ToJsonString() ?? "null")),
        (1, Text),
        (1, ArbMap.Default.GeneratorFor<byte[]>().Select(b => Encoding.Latin1.GetString(b ?? []))));

    private List<T> Sample<T>(Gen<T> gen, int count) => [.. Gen.Sample(gen, 20, new Rnd((ulong)_seed), count)];

    private static void NoServerError(HttpResponseMessage response, string what)
    {
        Assert.True((int)response.StatusCode < 500, $"{what} → {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
    }

    private string Seed => $"seed {_seed}";

    [Fact]
    public async Task EveryEndpoint_WithRandomIdsAndBodies_UnderEveryRole_NeverAnswers500()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern)))
            .ToList();
        Assert.True(endpoints.Count > 30, "the route table was read");
        // NUL in a path never reaches the app: Kestrel answers 400 itself, and the in-memory test host throws.
        var ids = Sample(Text.Where(s => s.Length is > 0 and < 300 && !s.Contains('\0', StringComparison.Ordinal)), endpoints.Count * 4);
        var bodies = Sample(Body, endpoints.Count * 4);
        string?[] keys = [OtklikFactory.IntegrationKey, OtklikFactory.AgentKey, OtklikFactory.SupervisorKey, null];
        var client = _factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);
        var n = 0;
        foreach (var (method, pattern) in endpoints)
        {
            for (var round = 0; round < 4; round++, n++)
            {
                var path = pattern.RawText!;
                foreach (var p in pattern.Parameters)
                {
                    path = path.Replace("{" + p.Name + "}", Uri.EscapeDataString(ids[n % ids.Count]), StringComparison.Ordinal)
                        .Replace("{" + p.Name + ":int}", round.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                }
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is not "GET" and not "DELETE")
                {
                    request.Content = new StringContent(bodies[n % bodies.Count], Encoding.UTF8, round % 3 == 0 ? "text/plain" : "application/json");
                }
                request.Headers.Add("Idempotency-Key", "fuzz-" + n);
                if (keys[round] is { } key)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }
                NoServerError(await client.SendAsync(request), $"{method} {path} ({Seed})");
            }
        }
    }

    [Fact]
    public async Task TheIntake_WithRandomJson_AnswersAProblemOrADecision_NeverA500()
    {
        var integration = _factory.Integration();
        integration.Timeout = TimeSpan.FromSeconds(20);
        var appeal = JsonNode.Parse("""{"channel":"app","requester":{"account_id":"a-fuzz"},"problem_type":"other","text":"Вопрос о бонусах и баллах"}""")!;
        var mutations = Sample(Gen.Zip(Gen.Elements(s_fields), Json(2)), 250);
        var i = 0;
        foreach (var (field, value) in mutations)
        {
            var body = appeal.DeepClone().AsObject();
            if (i % 5 == 0)
            {
                body.Remove(field);
            }
            else if (field is "account_id" or "phone" or "email" or "telegram_id" or "vk_id")
            {
                body["requester"]![field] = value?.DeepClone();
            }
            else
            {
                body[field] = value?.DeepClone();
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", $"fuzz-intake-{i++}");
            var response = await integration.SendAsync(request);
            NoServerError(response, $"{body.ToJsonString()} ({Seed})");
            if (!response.IsSuccessStatusCode)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task ChannelPayloads_Telegram_Vk_Phone_Mail_NeverAnswer500()
    {
        var client = _factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);
        var bodies = Sample(Json(3), 120);
        var i = 0;
        foreach (var node in bodies)
        {
            var payload = node is JsonObject o ? o : new JsonObject { ["update_id"] = i, ["message"] = node?.DeepClone() };
            // Telegram: the right secret, anything inside.
            using (var tg = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels/telegram/webhook") { Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json") })
            {
                tg.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramBotApi.Secret);
                NoServerError(await client.SendAsync(tg), $"telegram {payload.ToJsonString()} ({Seed})");
            }
            // VK: the right group and secret around a random event.
            var vk = new JsonObject { ["type"] = i % 3 == 0 ? "message_new" : node?.ToJsonString(), ["group_id"] = 77, ["secret"] = VkSecret, ["event_id"] = "e" + i, ["object"] = payload.DeepClone() };
            NoServerError(await client.PostAsync("/api/v1/channels/vk/callback", new StringContent(vk.ToJsonString(), Encoding.UTF8, "application/json")), $"vk {vk.ToJsonString()} ({Seed})");
            // Phone: correctly signed, random event.
            NoServerError(await client.SendAsync(Signed("/api/v1/channels/phone/calls", PhoneSecret, Encoding.UTF8.GetBytes(payload.ToJsonString()), "application/json")), $"phone {payload.ToJsonString()} ({Seed})");
            i++;
        }
        foreach (var mail in MangledMail(60))
        {
            NoServerError(await client.SendAsync(Signed("/api/v1/channels/email/messages", EmailSecret, mail, "message/rfc822")), $"mail ({Seed})");
        }
    }

    [Fact]
    public void TheMimeReader_OverMangledMail_NeverThrows()
    {
        var options = new EmailOptions { Address = "support@otklik.test", AuthServId = "mx.otklik.test" };
        var valid = ValidMail();
        Prop.ForAll(ArbMap.Default.ArbFor<int[]>(), flips =>
        {
            var bytes = (byte[])valid.Clone();
            foreach (var f in flips ?? [])
            {
                bytes[(int)((uint)f % bytes.Length)] = (byte)(f >> 8);
            }
            using var stream = new MemoryStream(bytes);
            MimeMessage message;
            try
            {
                message = MimeMessage.Load(stream);
            }
            catch (FormatException)
            {
                return true; // not a message at all: the endpoint answers 400 before the reader sees it
            }
            InboundMail read;
            try
            {
                read = InboundMail.Read(message, options);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException("InboundMail.Read threw on: " + Encoding.Latin1.GetString(bytes)[..Math.Min(400, bytes.Length)], ex);
            }
            return read.MessageId.Length > 0 && read.Text.Length <= InboundMail.MaxTextLength;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private HttpRequestMessage Signed(string path, string secret, byte[] body, string type)
    {
        var ts = _factory.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        request.Headers.Add("X-Otklik-Timestamp", ts);
        request.Headers.Add("X-Otklik-Signature", WebhookSignature.Compute(secret, ts, body));
        return request;
    }

    private static byte[] ValidMail()
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("anna@example.test"));
        m.To.Add(MailboxAddress.Parse("support@otklik.test"));
        m.Subject = "Заказ 38211574-0012 [T-000001]";
        m.MessageId = "fuzz@example.test";
        m.Headers.Add(HeaderId.AuthenticationResults, "mx.otklik.test; dkim=pass header.d=example.test");
        var body = new Multipart("mixed")
        {
            new TextPart("html") { Text = "<p>Чайник <b>треснул</b></p><script>x()</script>" },
            new MimePart("image", "jpeg") { FileName = "../a.jpg", Content = new MimeContent(new MemoryStream(TelegramBotApi.Jpeg)), ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) },
        };
        m.Body = body;
        using var stream = new MemoryStream();
        m.WriteTo(stream);
        return stream.ToArray();
    }

    private IEnumerable<byte[]> MangledMail(int count)
    {
        var valid = ValidMail();
        var random = new Random(_seed);
        for (var i = 0; i < count; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var k = random.Next(1, 40); k > 0; k--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            yield return i % 10 == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
        }
    }
}
