using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

// Open-loop load for the overload benchmark: requests are sent at a fixed rate whatever the server
// does (a closed-loop tool like wrk slows down with the server and hides overload). A share of the
// appeals is priority class P1; the result line gives goodput, how many P1 appeals were admitted,
// latency of the admitted and of the shed.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
var url = options.GetValueOrDefault("url", "http://127.0.0.1:5091");
var key = options.GetValueOrDefault("key", "bench-integration-key-0001");
var rate = double.Parse(options.GetValueOrDefault("rate", "500"), CultureInfo.InvariantCulture);
var seconds = double.Parse(options.GetValueOrDefault("duration", "15"), CultureInfo.InvariantCulture);
var p1Share = double.Parse(options.GetValueOrDefault("p1-share", "0.1"), CultureInfo.InvariantCulture);
var accounts = int.Parse(options.GetValueOrDefault("accounts", "20000"), CultureInfo.InvariantCulture);
var maxInFlight = int.Parse(options.GetValueOrDefault("max-in-flight", "20000"), CultureInfo.InvariantCulture);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = new Uri(url),
    Timeout = TimeSpan.FromSeconds(30),
};
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
var results = new ConcurrentBag<(bool P1, int Status, double Ms)>();
var inFlight = 0;
var skipped = 0;
var tasks = new List<Task>();
var run = Guid.NewGuid().ToString("N")[..8];
var clock = Stopwatch.StartNew();
long sent = 0;
while (clock.Elapsed.TotalSeconds < seconds)
{
    var due = (long)(clock.Elapsed.TotalSeconds * rate);
    for (; sent < due; sent++)
    {
        if (Volatile.Read(ref inFlight) >= maxInFlight)
        {
            skipped++;
            continue;
        }
        var n = sent;
        var p1 = (n * 7919 % 1000) < p1Share * 1000;
        Interlocked.Increment(ref inFlight);
        tasks.Add(Task.Run(async () =>
        {
            var account = $"a-{2000 + (n % accounts)}";
            var body = p1
                ? $$"""{"channel":"app","requester":{"account_id":"{{account}}"},"problem_type":"payment_issue","text":"Списали деньги дважды за заказ, верните {{n}}"}"""
                : $$"""{"channel":"app","requester":{"account_id":"{{account}}"},"problem_type":"other","text":"Вопрос номер {{n}} о бонусах, баллах и доставке"}""";
            var started = Stopwatch.GetTimestamp();
            int status;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appeals") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", $"{run}-{n}");
                using var response = await http.SendAsync(request);
                status = (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                status = 0;
            }
            results.Add((p1, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            Interlocked.Decrement(ref inFlight);
        }));
    }
    await Task.Delay(1);
}
await Task.WhenAll(tasks);
var elapsed = clock.Elapsed.TotalSeconds;
var all = results.ToList();
bool Admitted(int s) => s is (int)HttpStatusCode.Created or (int)HttpStatusCode.OK;
var admitted = all.Where(r => Admitted(r.Status)).Select(r => r.Ms).Order().ToList();
var shed = all.Where(r => r.Status == 503).Select(r => r.Ms).Order().ToList();
var p1s = all.Where(r => r.P1).ToList();
static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT offered_rps={rate:0} sent={all.Count} goodput_rps={admitted.Count / seconds:0.0} shed={shed.Count} errors={all.Count(r => r.Status is 0 or >= 500 and not 503)} other={all.Count(r => !Admitted(r.Status) && r.Status is > 0 and < 500)} " +
    $"p1_sent={p1s.Count} p1_admitted_pct={(p1s.Count == 0 ? 0 : 100.0 * p1s.Count(r => Admitted(r.Status)) / p1s.Count):0.0} " +
    $"admitted_p50_ms={Pct(admitted, 0.5):0.0} admitted_p99_ms={Pct(admitted, 0.99):0.0} shed_p50_ms={Pct(shed, 0.5):0.00} shed_p99_ms={Pct(shed, 0.99):0.00} client_skipped={skipped} wall_s={elapsed:0.0}"));
