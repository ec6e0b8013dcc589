using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Otklik.Server.Tests;

/// <summary>The overload control in the real server: what it sheds, what it lets through, and what /metrics says.</summary>
public sealed class OverloadControlTests
{
    [Fact]
    public async Task PastTheBudget_AnOrdinaryAppealIs503_AP1AppealGetsThrough_AndMetricsCountTheShed()
    {
        using var factory = new OtklikFactory();
        factory.Settings["Limits:MaxConcurrentRequests"] = "1";
        factory.Settings["Limits:ReservedConcurrentRequests"] = "2";
        factory.Settings["Limits:QueuedRequests"] = "0";
        var client = factory.Integration();
        // Without the redirect handler, which reads a request's body whole before it is sent.
        var streaming = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        streaming.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OtklikFactory.IntegrationKey);
        var scraper = factory.CreateClient();
        var account = Api.NewId("a");
        await client.PutAccountAsync(account);
        using var listener = new MeterListener();
        var durations = Durations(factory, listener);

        // An appeal whose body arrives only when the test lets it: it holds the one place of the budget meanwhile.
        var arrive = new TaskCompletionSource();
        using var slow = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals")
        {
            Content = new HeldContent(JsonSerializer.Serialize(Api.Appeal(account, null, "other", "Вопрос про бонусы, который приходит медленно", photo: false)), arrive.Task),
        };
        slow.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var held = streaming.SendAsync(slow);
        // Read in process (a scrape over HTTP could take the place first and leave the held appeal waiting in the peek).
        for (var i = 0; i < 500 && Observed(factory)["requests_in_flight"] < 1; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(1, Observed(factory)["requests_in_flight"]);

        var (shed, problem) = await client.SendRawAsync(HttpMethod.Post, "/api/v1/appeals",
            JsonSerializer.Serialize(Api.Appeal(account, null, "other", "Обычный вопрос про доставку", photo: false)), key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
        Assert.Equal("1", shed.Headers.RetryAfter?.ToString());
        Assert.Equal("https://otklik.dev/problems/overloaded", problem.Str("type"));
        var (urgent, _) = await client.SendRawAsync(HttpMethod.Post, "/api/v1/appeals",
            JsonSerializer.Serialize(Api.Appeal(account, null, "payment_issue", "Деньги списали дважды, верните", photo: false)), key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, urgent.StatusCode);

        arrive.SetResult();
        Assert.Equal(HttpStatusCode.Created, (await held).StatusCode);
        // This server's own meters, read in process: /metrics is the process's, shared by every test server running at once.
        var observed = Observed(factory);
        Assert.Equal(1, observed["requests_shed/ordinary"]);
        Assert.Equal(0, observed["requests_shed/reserved"]);
        Assert.Equal(0, observed["requests_in_flight"]);
        Assert.Equal(0, observed["requests_waiting"]);
        // The refusal is counted there, not in the request durations (a labelled lookup per refusal under overload).
        Assert.DoesNotContain(durations, status => status == 503);
        Assert.Contains(durations, status => status == 201);
        // Scraped under the names the README gives (Otklik's meters, not the meter's name twice).
        var metrics = await scraper.GetStringAsync("/metrics");
        Assert.Matches("(?m)^otklik_requests_shed\\{class=\"ordinary\"\\} ", metrics);
        Assert.Matches("(?m)^otklik_requests_in_flight ", metrics);
        Assert.Matches("(?m)^otklik_appeals\\{", metrics);
    }

    // The status codes of the requests this server's request-duration histogram records, as they are recorded.
    private static System.Collections.Concurrent.ConcurrentQueue<int> Durations(OtklikFactory factory, MeterListener listener)
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var statuses = new System.Collections.Concurrent.ConcurrentQueue<int>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "http.server.request.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "http.response.status_code" && tag.Value is int status)
                {
                    statuses.Enqueue(status);
                }
            }
        });
        listener.Start();
        return statuses;
    }

    // The overload control's instruments of this server's meter, observed now ("requests_shed/ordinary", …).
    private static Dictionary<string, long> Observed(OtklikFactory factory)
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var values = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name.StartsWith("requests_", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var name = instrument.Name;
            foreach (var tag in tags)
            {
                name += "/" + tag.Value;
            }
            values[name] = value;
        }
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    /// <summary>A JSON body of a known length that is sent only once the task given completes.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly Task _arrive;

        public HeldContent(string json, Task arrive)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            _arrive = arrive;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await _arrive;
            await stream.WriteAsync(_bytes);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
