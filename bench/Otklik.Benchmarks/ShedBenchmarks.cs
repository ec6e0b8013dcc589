using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Otklik.Server.Hosting;

namespace Otklik.Benchmarks;

/// <summary>
/// What a shed request costs the server: past the budget, a write is refused at a counter check; an
/// appeal in the reserve zone is refused after its body is peeked for P1. Baseline: the same request
/// passed to a do-nothing endpoint.
/// </summary>
[MemoryDiagnoser]
public class ShedBenchmarks
{
    private static readonly byte[] s_ordinary = Encoding.UTF8.GetBytes("""{"channel":"app","requester":{"account_id":"a-1001"},"problem_type":"other","text":"Вопрос о бонусах и баллах за заказ"}""");
    private readonly AppealCriticality _criticality = new((type, demand) => type == "payment_issue");
    private LoadShedding _full = null!;
    private LoadShedding _reserveFull = null!;
    private LoadShedding _open = null!;

    [GlobalSetup]
    public void Setup()
    {
        _full = new LoadShedding(_ => Task.CompletedTask, maxConcurrent: 0, _criticality);
        _open = new LoadShedding(_ => Task.CompletedTask, maxConcurrent: 1_000_000, _criticality);
        // Budget 1, one request parked inside: the next appeal lands in the reserve zone and is peeked.
        _reserveFull = new LoadShedding(_ => new TaskCompletionSource().Task, maxConcurrent: 1, _criticality);
        _ = _reserveFull.InvokeAsync(Context("/api/v1/tickets/t_1/messages", s_ordinary));
    }

    private static DefaultHttpContext Context(string path, byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        context.Response.Body = Stream.Null;
        return context;
    }

    [Benchmark(Baseline = true, Description = "served (empty endpoint)")]
    public Task Served() => _open.InvokeAsync(Context("/api/v1/appeals", s_ordinary));

    [Benchmark(Description = "shed at the counter (a write past the reserve)")]
    public Task ShedAtCounter() => _full.InvokeAsync(Context("/api/v1/tickets/t_1/messages", s_ordinary));

    [Benchmark(Description = "shed after the P1 peek (an ordinary appeal in the reserve)")]
    public Task ShedAfterPeek() => _reserveFull.InvokeAsync(Context("/api/v1/appeals", s_ordinary));
}
