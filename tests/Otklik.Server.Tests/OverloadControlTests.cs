using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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

        // An appeal whose body arrives only when the test lets it: it holds the one place of the budget meanwhile.
        var arrive = new TaskCompletionSource();
        using var slow = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals")
        {
            Content = new HeldContent(JsonSerializer.Serialize(Api.Appeal(account, null, "other", "Вопрос про бонусы, который приходит медленно", photo: false)), arrive.Task),
        };
        slow.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var held = streaming.SendAsync(slow);
        // Read in process (a scrape over HTTP could take the place first and leave the held appeal waiting in the peek).
        for (var i = 0; i < 500 && InFlight(factory) < 1; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(1, InFlight(factory));

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
        var metrics = await scraper.GetStringAsync("/metrics");
        Assert.Equal(1, Value(metrics, "otklik_requests_shed{class=\"ordinary\"}"));
        Assert.Equal(0, Value(metrics, "otklik_requests_shed{class=\"reserved\"}"));
        Assert.Equal(1, Value(metrics, "otklik_requests_in_flight")); // the scrape itself
        Assert.Equal(0, Value(metrics, "otklik_requests_waiting"));
        // The refusal is counted there, not in the request durations (a labelled lookup per refusal under overload).
        Assert.DoesNotMatch("http_server_request_duration_count\\{[^}]*http_response_status_code=\"503\"", metrics);
        Assert.Matches("http_server_request_duration_count\\{[^}]*http_response_status_code=\"201\"", metrics);
        // Otklik's own meters under the names the README gives.
        Assert.Matches("(?m)^otklik_appeals\\{", metrics);
    }

    // The overload control's gauge of this server's meter, observed now.
    private static int InFlight(OtklikFactory factory)
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var value = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "requests_in_flight")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, measured, _, _) => value = measured);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    // The value of a sample at /metrics: NAME (with its labels as written) at the start of a line.
    private static double Value(string metrics, string name)
    {
        var match = Regex.Match(metrics, "(?m)^" + Regex.Escape(name) + " ([0-9.eE+-]+)$");
        Assert.True(match.Success, $"{name} is not at /metrics");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
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
