using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

// Open-loop load for the overload benchmark: requests are due at a fixed rate whatever the server
// does (a closed-loop tool like wrk slows down with the server and hides overload). A share of the
// appeals is priority class P1; the result line gives goodput, how many P1 appeals were admitted,
// latency of the admitted and of the shed, each measured from the moment the request was due.
//
// It speaks HTTP/1.1 over its own keep-alive sockets instead of HttpClient: the generator shares the
// machine with the server, and HttpClient's cost per request (tens of µs) at 5–10× capacity took a
// core the server then did not have — the benchmark measured the generator, not the shedding.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
var url = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5091"));
var key = options.GetValueOrDefault("key", "bench-integration-key-0001");
var rate = double.Parse(options.GetValueOrDefault("rate", "500"), CultureInfo.InvariantCulture);
var seconds = double.Parse(options.GetValueOrDefault("duration", "15"), CultureInfo.InvariantCulture);
var p1Share = double.Parse(options.GetValueOrDefault("p1-share", "0.1"), CultureInfo.InvariantCulture);
var accounts = int.Parse(options.GetValueOrDefault("accounts", "20000"), CultureInfo.InvariantCulture);
var connections = int.Parse(options.GetValueOrDefault("connections", "1024"), CultureInfo.InvariantCulture);
// Requests due while every connection is busy wait in the generator (their latency counts from when
// they were due); past this many waiting, the generator gives up on them and says so.
var maxWaiting = int.Parse(options.GetValueOrDefault("max-waiting", "20000"), CultureInfo.InvariantCulture);

var total = (int)Math.Ceiling(rate * seconds);
var results = new Result[total];
var due = Channel.CreateUnbounded<Due>(new UnboundedChannelOptions { SingleWriter = true });
var run = Guid.NewGuid().ToString("N")[..8];
var endpoint = new IPEndPoint(IPAddress.Parse(url.Host == "localhost" ? "127.0.0.1" : url.Host), url.Port);
var hostHeader = $"{url.Host}:{url.Port}";
var waiting = 0;
var skipped = 0;

var clock = new Stopwatch();
var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(ConnectionLoop)).ToArray();
clock.Start();
var sent = 0;
while (sent < total)
{
    var dueNow = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate));
    for (; sent < dueNow; sent++)
    {
        if (Volatile.Read(ref waiting) >= maxWaiting)
        {
            skipped++;
            results[sent] = new Result(IsP1(sent), -1, 0);
            continue;
        }
        Interlocked.Increment(ref waiting);
        due.Writer.TryWrite(new Due(sent, clock.ElapsedTicks));
    }
    await Task.Delay(1);
}
due.Writer.Complete();
await Task.WhenAll(workers);
var elapsed = clock.Elapsed.TotalSeconds;

var all = results.Where(r => r.Status >= 0).ToList();
bool Admitted(int s) => s is (int)HttpStatusCode.Created or (int)HttpStatusCode.OK;
var admitted = all.Where(r => Admitted(r.Status)).Select(r => r.Ms).Order().ToList();
var shed = all.Where(r => r.Status == 503).Select(r => r.Ms).Order().ToList();
var p1s = all.Where(r => r.P1).ToList();
static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT offered_rps={rate:0} sent={all.Count} goodput_rps={admitted.Count / seconds:0.0} shed={shed.Count} errors={all.Count(r => r.Status is 0 or >= 500 and not 503)} other={all.Count(r => !Admitted(r.Status) && r.Status is > 0 and < 500)} " +
    $"p1_sent={p1s.Count} p1_admitted_pct={(p1s.Count == 0 ? 0 : 100.0 * p1s.Count(r => Admitted(r.Status)) / p1s.Count):0.0} p1_shed={p1s.Count(r => r.Status == 503)} p1_failed={p1s.Count(r => r.Status is 0 or >= 500 and not 503)} " +
    $"admitted_p50_ms={Pct(admitted, 0.5):0.0} admitted_p99_ms={Pct(admitted, 0.99):0.0} shed_p50_ms={Pct(shed, 0.5):0.00} shed_p99_ms={Pct(shed, 0.99):0.00} client_skipped={skipped} wall_s={elapsed:0.0}"));
return;

bool IsP1(long n) => (n * 7919 % 1000) < p1Share * 1000;

async Task ConnectionLoop()
{
    var buffer = new byte[16 * 1024];
    Socket? socket = null;
    await foreach (var job in due.Reader.ReadAllAsync())
    {
        Interlocked.Decrement(ref waiting);
        var p1 = IsP1(job.N);
        var status = 0;
        try
        {
            socket ??= await ConnectAsync();
            var request = Request(job.N, p1);
            await socket.SendAsync(request, SocketFlags.None);
            status = await ReadResponseAsync(socket, buffer);
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            socket?.Dispose();
            socket = null;
        }
        results[(int)job.N] = new Result(p1, status, (clock.ElapsedTicks - job.DueTicks) * 1000.0 / Stopwatch.Frequency);
    }
    socket?.Dispose();
}

async Task<Socket> ConnectAsync()
{
    var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(endpoint);
    return socket;
}

byte[] Request(long n, bool p1)
{
    var account = $"a-{2000 + (n % accounts)}";
    var body = p1
        ? $$"""{"channel":"app","requester":{"account_id":"{{account}}"},"problem_type":"payment_issue","text":"Списали деньги дважды за заказ, верните {{n}}"}"""
        : $$"""{"channel":"app","requester":{"account_id":"{{account}}"},"problem_type":"other","text":"Вопрос номер {{n}} о бонусах, баллах и доставке"}""";
    var bodyBytes = Encoding.UTF8.GetByteCount(body);
    var head = $"POST /api/v1/appeals HTTP/1.1\r\nHost: {hostHeader}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nIdempotency-Key: {run}-{n}\r\nContent-Length: {bodyBytes}\r\n\r\n";
    return Encoding.UTF8.GetBytes(head + body);
}

// Reads one response (Content-Length or chunked body) and returns its status code.
static async Task<int> ReadResponseAsync(Socket socket, byte[] buffer)
{
    var filled = 0;
    int headerEnd;
    while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
    {
        filled += await Receive(socket, buffer, filled);
    }
    var head = buffer.AsSpan(0, headerEnd);
    if (!Utf8Parser.TryParse(head[9..12], out int status, out _))
    {
        throw new InvalidDataException("no status line");
    }
    var bodyStart = headerEnd + 4;
    var lengthAt = IndexOfHeader(head, "content-length:"u8);
    if (lengthAt >= 0)
    {
        var value = head[lengthAt..];
        value = value[..(value.IndexOf("\r\n"u8) is var e and >= 0 ? e : value.Length)].Trim((byte)' ');
        Utf8Parser.TryParse(value, out int length, out _);
        while (filled - bodyStart < length)
        {
            filled += await Receive(socket, buffer, filled);
        }
        return status;
    }
    if (IndexOfHeader(head, "transfer-encoding:"u8) >= 0)
    {
        // Chunked: read until the terminating zero-length chunk.
        while (!ChunkedDone(buffer.AsSpan(bodyStart, filled - bodyStart)))
        {
            filled += await Receive(socket, buffer, filled);
        }
    }
    return status;
}

static bool ChunkedDone(ReadOnlySpan<byte> body) => body.StartsWith("0\r\n\r\n"u8) || body.IndexOf("\r\n0\r\n\r\n"u8) >= 0;

static int IndexOfHeader(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerName)
{
    for (var i = 0; i + lowerName.Length <= head.Length; i++)
    {
        if ((i == 0 || head[i - 1] == (byte)'\n') && Ascii.EqualsIgnoreCase(head.Slice(i, lowerName.Length), lowerName))
        {
            return i + lowerName.Length;
        }
    }
    return -1;
}

static async Task<int> Receive(Socket socket, byte[] buffer, int filled)
{
    if (filled == buffer.Length)
    {
        throw new InvalidDataException("response larger than the buffer");
    }
    var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
    return n > 0 ? n : throw new IOException("connection closed");
}

internal readonly record struct Due(long N, long DueTicks);

internal readonly record struct Result(bool P1, int Status, double Ms);
