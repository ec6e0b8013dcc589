using System.Buffers;
using System.Text.Json;
using Otklik.Application.Policy;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Tickets;

namespace Otklik.Server.Hosting;

/// <summary>
/// Capacity protection (not policy): past a number of requests in flight, new ones are answered at
/// once with 503 and Retry-After instead of queueing until latency collapses. Above that budget a
/// reserve is kept for what must get through: reads (agents working their queues), health probes,
/// and appeals of priority class P1 (legal, money, safety — by problem type and demand, read from the
/// body only when the budget is used up). Everything admitted counts against one number, so the
/// work in flight — and with it the latency of what is admitted — stays bounded; a shed request gives
/// its place back before it is answered, so a flood being turned away never crowds out the reserve.
/// Shedding is a counter check and a tiny problem document: far cheaper than serving.
/// </summary>
public sealed class LoadShedding(RequestDelegate next, int maxConcurrent, int reserved, AppealCriticality criticality)
{
    /// <summary>Appeal bodies larger than this are not looked into while shedding (they are not P1 by their size).</summary>
    private const int PeekLimit = 64 * 1024;

    private static readonly byte[] s_body = System.Text.Encoding.UTF8.GetBytes(
        """{"type":"https://otklik.dev/problems/overloaded","title":"Overloaded","status":503,"detail":"The server is at capacity; retry after the given seconds."}""");

    private int _inFlight;

    /// <summary>A reserve as large as the budget.</summary>
    public LoadShedding(RequestDelegate next, int maxConcurrent, AppealCriticality criticality)
        : this(next, maxConcurrent, maxConcurrent, criticality)
    {
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Admit(maxConcurrent) && !(await ReservedAsync(context) && Admit(maxConcurrent + reserved)))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.ContentType = "application/problem+json";
            context.Response.ContentLength = s_body.Length;
            await context.Response.Body.WriteAsync(s_body, context.RequestAborted);
            return;
        }
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
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
            return criticality.IsP1(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
