using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Otklik.Application.Policy;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Tickets;

namespace Otklik.Server.Hosting;

/// <summary>
/// Capacity protection (not policy): past a number of requests in flight, new ones wait briefly in a
/// short queue and, if it is full or their wait runs out, are answered with 503 and Retry-After instead
/// of queueing until latency collapses. The queue absorbs bursts and pauses (a collection, a burst of
/// arrivals) that would otherwise turn customers away while the server is far from full; a sustained
/// overload keeps it full, and then what does not fit is shed at once. Above that budget a reserve is
/// kept for what must get through: reads (agents working their queues), health probes, and appeals of
/// priority class P1 (legal, money, safety — by problem type and demand, read from the body only when
/// the budget is used up); when the reserve is full too they wait ahead of everything else. Everything
/// admitted counts against one number, so the work in flight — and with it the latency of what is
/// admitted — stays bounded; a shed request never holds a place. Shedding is a counter check and a tiny
/// problem document: far cheaper than serving.
/// </summary>
public sealed class LoadShedding
{
    /// <summary>Appeal bodies larger than this are not looked into while shedding (they are not P1 by their size).</summary>
    private const int PeekLimit = 64 * 1024;

    private static readonly byte[] s_body = System.Text.Encoding.UTF8.GetBytes(
        """{"type":"https://otklik.dev/problems/overloaded","title":"Overloaded","status":503,"detail":"The server is at capacity; retry after the given seconds."}""");

    private readonly RequestDelegate _next;
    private readonly int _maxConcurrent;
    private readonly int _reserved;
    private readonly AppealCriticality _criticality;
    private readonly int _queueLimit;
    private readonly TimeSpan _queueTimeout;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _urgent = new();
    private readonly Queue<Waiter> _ordinary = new();
    private int _inFlight;
    private int _waiting;
    private long _shed;
    private long _shedReserved;

    /// <param name="next">The rest of the pipeline.</param>
    /// <param name="maxConcurrent">Requests in flight before the rest wait or are shed.</param>
    /// <param name="reserved">Places above that budget for reads, health probes and P1 appeals.</param>
    /// <param name="criticality">Which appeal bodies are P1.</param>
    /// <param name="queueLimit">Requests that may wait for a place (0: none wait, past the budget they are shed at once).</param>
    /// <param name="queueTimeout">How long one waits before it is shed.</param>
    /// <param name="time">The clock the waits run on.</param>
    public LoadShedding(RequestDelegate next, int maxConcurrent, int reserved, AppealCriticality criticality, int queueLimit, TimeSpan queueTimeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(reserved);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _next = next;
        _maxConcurrent = maxConcurrent;
        _reserved = reserved;
        _criticality = criticality;
        _queueLimit = queueLimit;
        _queueTimeout = queueTimeout;
        _time = time;
    }

    /// <summary>No queue: past the budget (and the reserve) requests are shed at once.</summary>
    public LoadShedding(RequestDelegate next, int maxConcurrent, int reserved, AppealCriticality criticality)
        : this(next, maxConcurrent, reserved, criticality, 0, TimeSpan.Zero, TimeProvider.System)
    {
    }

    /// <summary>A reserve as large as the budget, no queue.</summary>
    public LoadShedding(RequestDelegate next, int maxConcurrent, AppealCriticality criticality)
        : this(next, maxConcurrent, maxConcurrent, criticality)
    {
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Requests waiting for a place now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Requests answered 503 so far, of them <see cref="ShedReserved"/> of the kinds the reserve is for.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>P1 appeals, reads and health probes shed so far: the reserve was full too.</summary>
    public long ShedReserved => Interlocked.Read(ref _shedReserved);

    /// <summary>
    /// The overload control at /metrics, read when scraped: nothing is recorded per request. A shed request is
    /// left out of ASP.NET Core's request-duration histogram (<see cref="InvokeAsync"/>): a labelled lookup per
    /// refusal was ≈ 4 % of a refusal's processor (perf under overload.sh's shedding node), and these counters say it.
    /// </summary>
    public void Observe(Meter meter)
    {
        meter.CreateObservableCounter("requests_shed", () => (IEnumerable<Measurement<long>>)
            [new(Shed - ShedReserved, new KeyValuePair<string, object?>("class", "ordinary")), new(ShedReserved, new KeyValuePair<string, object?>("class", "reserved"))],
            description: "Requests answered 503 with Retry-After by the overload control; class reserved: P1 appeals, reads and health probes, shed only when the reserve was full too");
        meter.CreateObservableGauge("requests_in_flight", () => InFlight, description: "Requests admitted by the overload control and not yet answered");
        meter.CreateObservableGauge("requests_waiting", () => Waiting, description: "Requests waiting in the overload control's queue for a place");
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Admit(_maxConcurrent))
        {
            var (admitted, reserved) = await AdmitPastTheBudgetAsync(context);
            if (!admitted)
            {
                await RefuseAsync(context, reserved);
                return;
            }
        }
        var place = new AdmittedPlace(this);
        context.Features.Set(place);
        try
        {
            await _next(context);
        }
        finally
        {
            place.GiveBack();
        }
    }

    internal void Leave()
    {
        Interlocked.Decrement(ref _inFlight);
        if (Volatile.Read(ref _waiting) > 0)
        {
            Grant();
        }
    }

    private Task RefuseAsync(HttpContext context, bool reserved)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask; // the client left while it waited: nobody to answer
        }
        Interlocked.Increment(ref _shed);
        if (reserved)
        {
            Interlocked.Increment(ref _shedReserved);
        }
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "application/problem+json";
        context.Response.ContentLength = s_body.Length;
        return context.Response.Body.WriteAsync(s_body, context.RequestAborted).AsTask();
    }

    /// <summary>Whether the request got a place after all, and whether it is of the kinds the reserve is for.</summary>
    private async ValueTask<(bool Admitted, bool Reserved)> AdmitPastTheBudgetAsync(HttpContext context)
    {
        var urgent = await ReservedAsync(context);
        if (urgent && Admit(_maxConcurrent + _reserved))
        {
            return (true, true);
        }
        // Under a sustained overload the queue stays full: an ordinary request is shed here, without the lock or a waiter.
        if (_queueLimit == 0 || (!urgent && Volatile.Read(ref _waiting) >= _queueLimit))
        {
            return (false, urgent);
        }
        Waiter waiter;
        lock (_lock)
        {
            // A full queue turns a P1 appeal or a read away only if nothing ordinary waits to make room for it.
            if (_waiting >= _queueLimit && !(urgent && EvictOrdinary()))
            {
                return (false, urgent);
            }
            waiter = new Waiter();
            Interlocked.Increment(ref _waiting);
            (urgent ? _urgent : _ordinary).Enqueue(waiter);
        }
        // A place may have come free since the budget was checked, before this one was in the queue to be given it.
        Grant();
        try
        {
            return (await waiter.Granted.WaitAsync(_queueTimeout, _time, context.RequestAborted), urgent);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (waiter.TryAbandon())
            {
                Interlocked.Decrement(ref _waiting);
                return (false, urgent);
            }
            return (waiter.IsGranted, urgent); // given a place (or made room) at the same moment
        }
    }

    // The ordinary request that has waited longest gives its place in the queue up (it is shed); under the lock.
    private bool EvictOrdinary()
    {
        while (_ordinary.TryDequeue(out var waiter))
        {
            if (waiter.TryEvict())
            {
                Interlocked.Decrement(ref _waiting);
                return true;
            }
        }
        return false;
    }

    /// <summary>Gives the places free now to the waiting, P1 appeals and reads first; skips those that gave up.</summary>
    private void Grant()
    {
        lock (_lock)
        {
            while (Next() is { } queue)
            {
                if (!Admit(queue == _urgent ? _maxConcurrent + _reserved : _maxConcurrent))
                {
                    return;
                }
                if (queue.Dequeue().TryGrant())
                {
                    Interlocked.Decrement(ref _waiting);
                }
                else
                {
                    Interlocked.Decrement(ref _inFlight); // gave up meanwhile: the place goes to the next
                }
            }
        }
    }

    // The queue whose head is served next, or null when none waits.
    private Queue<Waiter>? Next() => Live(_urgent) ? _urgent : Live(_ordinary) ? _ordinary : null;

    // Those that gave up stay in the queue until they reach its head.
    private static bool Live(Queue<Waiter> queue)
    {
        while (queue.TryPeek(out var head) && head.Abandoned)
        {
            queue.Dequeue();
        }
        return queue.Count > 0;
    }

    /// <summary>Takes a place if fewer than <paramref name="limit"/> are in flight.</summary>
    private bool Admit(int limit)
    {
        if (Interlocked.Increment(ref _inFlight) <= limit)
        {
            return true;
        }
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    private async ValueTask<bool> ReservedAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || request.Path.StartsWithSegments("/health"))
        {
            return true;
        }
        if (!HttpMethods.IsPost(request.Method) || !request.Path.Equals("/api/v1/appeals", StringComparison.OrdinalIgnoreCase)
            || request.ContentLength is null or > PeekLimit)
        {
            return false;
        }
        // Read the body once into a buffer the endpoint will read again.
        request.EnableBuffering(PeekLimit);
        var length = (int)request.ContentLength.Value;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var read = 0;
            while (read < length)
            {
                var n = await request.Body.ReadAsync(buffer.AsMemory(read, length - read), context.RequestAborted);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            request.Body.Position = 0;
            return _criticality.IsP1(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// The place an admitted request holds in the overload control (an HttpContext feature). A long-lived response —
/// the workspace's server-sent events, open for minutes on every ticket page an agent has open — gives it back once
/// it is set up: it waits on a timer, not a core, and as many open pages as the budget would otherwise turn every
/// other request away.
/// </summary>
public sealed class AdmittedPlace
{
    private LoadShedding? _owner;

    internal AdmittedPlace(LoadShedding owner) => _owner = owner;

    /// <summary>Frees the place for others now; the request goes on. Later calls do nothing.</summary>
    public void GiveBack() => Interlocked.Exchange(ref _owner, null)?.Leave();
}

/// <summary>A request waiting for a place: given one, made to give way, or given up (timed out, aborted) — whichever comes first.</summary>
internal sealed class Waiter
{
    private readonly TaskCompletionSource<bool> _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state; // 0 waiting, 1 granted, 2 abandoned or evicted

    /// <summary>True once granted a place; false when made to give way to a P1 appeal or a read.</summary>
    public Task<bool> Granted => _granted.Task;

    public bool Abandoned => Volatile.Read(ref _state) == 2;

    public bool IsGranted => Volatile.Read(ref _state) == 1;

    public bool TryGrant() => Settle(1, true);

    public bool TryEvict() => Settle(2, false);

    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

    private bool Settle(int state, bool granted)
    {
        if (Interlocked.CompareExchange(ref _state, state, 0) != 0)
        {
            return false;
        }
        _granted.SetResult(granted);
        return true;
    }
}

/// <summary>Whether an appeal body is priority class P1 by what it is about (problem type, legal demand), without the store.</summary>
public sealed class AppealCriticality(Func<string?, string?, bool> isP1)
{
    public static AppealCriticality FromPolicy(PolicyProvider policies) => new((type, demand) =>
    {
        var policy = policies.Current;
        return type is not null && policy.FindProblemType(type) is { } definition
            && PriorityClassifier.IsP1BySubject(policy, definition, WireName.TryParse<Demand>(demand, out var d) ? d : null);
    });

    public bool IsP1(ReadOnlySpan<byte> json)
    {
        string? type = null, demand = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }
                var isType = reader.ValueTextEquals("problem_type"u8);
                var isDemand = !isType && reader.ValueTextEquals("demand"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && (isType || isDemand))
                {
                    if (isType)
                    {
                        type = reader.GetString();
                    }
                    else
                    {
                        demand = reader.GetString();
                    }
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false; // not JSON: the endpoint will say so, if it is reached at all
        }
        return isP1(type, demand);
    }
}
