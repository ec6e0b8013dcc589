namespace Otklik.Server.Hosting;

/// <summary>
/// Capacity protection (not policy): past a number of requests in flight, new ones are answered at
/// once with 503 and Retry-After instead of queueing until latency collapses. Reads (GET) and health
/// probes are shed last — they may use twice the budget. Shedding is a counter check and a tiny
/// problem document: far cheaper than serving.
/// </summary>
public sealed class LoadShedding(RequestDelegate next, int maxConcurrent)
{
    private static readonly byte[] s_body = System.Text.Encoding.UTF8.GetBytes(
        """{"type":"https://otklik.dev/problems/overloaded","title":"Overloaded","status":503,"detail":"The server is at capacity; retry after the given seconds."}""");

    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task InvokeAsync(HttpContext context)
    {
        var critical = HttpMethods.IsGet(context.Request.Method) || context.Request.Path.StartsWithSegments("/health");
        var limit = critical ? maxConcurrent * 2 : maxConcurrent;
        if (Interlocked.Increment(ref _inFlight) > limit)
        {
            Interlocked.Decrement(ref _inFlight);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.ContentType = "application/problem+json";
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
}
