using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Otklik.Server.Hosting;

namespace Otklik.Server.Tests;

public sealed class LoadSheddingTests
{
    private static readonly AppealCriticality s_criticality = new((type, demand) => type == "payment_issue" || demand == "refund");

    // The smallest bodies the criticality peek reads: an ordinary appeal and a P1 one (a P1 problem type).
    private const string Ordinary = """{"problem_type":"other"}""";
    private const string Urgent = """{"problem_type":"payment_issue"}""";

    private static DefaultHttpContext Request(string method, string path = "/api/v1/appeals", string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (body is not null)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }
        context.Response.Body = new MemoryStream();
        return context;
    }

    [Fact]
    public async Task PastTheBudget_WritesAre503WithRetryAfter_ReadsLast_AndCapacityComesBack()
    {
        var release = new TaskCompletionSource();
        var shedding = new LoadShedding(_ => release.Task, maxConcurrent: 2, s_criticality);
        var busy = new[] { shedding.InvokeAsync(Request("POST")), shedding.InvokeAsync(Request("POST")) };
        Assert.Equal(2, shedding.InFlight);

        var shed = Request("POST");
        await shedding.InvokeAsync(shed);
        Assert.Equal(503, shed.Response.StatusCode);
        Assert.Equal("1", shed.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", shed.Response.ContentType);
        Assert.True(shed.Response.Body.Length > 0);

        // A read still fits (reads may use twice the budget); it waits with the others.
        var read = shedding.InvokeAsync(Request("GET", "/api/v1/tickets"));
        Assert.Equal(3, shedding.InFlight);

        release.SetResult();
        await Task.WhenAll([.. busy, read]);
        await AllPlacesAreFree(shedding);
    }

    [Fact]
    public async Task InTheReserve_P1AppealsGetThrough_OthersAreShed_AndTheEndpointStillReadsTheBody()
    {
        var release = new TaskCompletionSource();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var shedding = new LoadShedding(async ctx =>
        {
            if (ctx.Request.Body.CanRead)
            {
                seen.Add(await new StreamReader(ctx.Request.Body).ReadToEndAsync());
            }
            await release.Task;
        }, maxConcurrent: 2, s_criticality);
        Task[] busy = [shedding.InvokeAsync(Request("POST", body: Ordinary)), shedding.InvokeAsync(Request("POST", body: Ordinary))];

        var ordinary = Request("POST", body: """{"channel":"app","requester":{"account_id":"a-1","problem_type":"payment_issue"},"problem_type":"late_delivery","text":"x"}""");
        await shedding.InvokeAsync(ordinary);
        Assert.Equal(503, ordinary.Response.StatusCode); // a nested problem_type does not count

        const string P1 = """{"channel":"app","problem_type":"payment_issue","text":"Деньги списали дважды"}""";
        var urgentRequest = Request("POST", body: P1);
        var urgent = shedding.InvokeAsync(urgentRequest);
        var demandRequest = Request("POST", body: """{"problem_type":"quality_defect","demand":"refund"}""");
        var byDemand = shedding.InvokeAsync(demandRequest);
        Assert.Equal(200, urgentRequest.Response.StatusCode);
        Assert.Equal(200, demandRequest.Response.StatusCode);
        Assert.Equal(4, shedding.InFlight);
        var broken = Request("POST", body: "{not json");
        await shedding.InvokeAsync(broken);
        Assert.Equal(503, broken.Response.StatusCode);

        release.SetResult();
        await Task.WhenAll([.. busy, urgent, byDemand]);
        Assert.Equal(0, shedding.InFlight);
        Assert.Contains(P1, seen); // the endpoint reads the whole body after the peek
    }

    [Fact]
    public async Task TheReserveIsItsOwn_ShedWritesNeverTakeIt_AndItHasALimitToo()
    {
        var release = new TaskCompletionSource();
        var shedding = new LoadShedding(_ => release.Task, maxConcurrent: 2, reserved: 1, s_criticality);
        Task[] busy = [shedding.InvokeAsync(Request("POST")), shedding.InvokeAsync(Request("POST"))];

        // A flood of ordinary writes is turned away, each giving its place back before it is answered.
        for (var i = 0; i < 50; i++)
        {
            var ordinary = Request("POST", body: Ordinary);
            await shedding.InvokeAsync(ordinary);
            Assert.Equal(503, ordinary.Response.StatusCode);
            Assert.Equal(ordinary.Response.Body.Length, ordinary.Response.ContentLength);
        }
        Assert.Equal(2, shedding.InFlight);

        var urgentRequest = Request("POST", body: Urgent);
        var urgent = shedding.InvokeAsync(urgentRequest);
        Assert.Equal(3, shedding.InFlight);

        // The reserve of one is taken: the next P1 appeal and a read are shed too.
        var second = Request("POST", body: Urgent);
        await shedding.InvokeAsync(second);
        Assert.Equal(503, second.Response.StatusCode);
        var read = Request("GET", "/api/v1/tickets");
        await shedding.InvokeAsync(read);
        Assert.Equal(503, read.Response.StatusCode);

        release.SetResult();
        await Task.WhenAll([.. busy, urgent]);
        Assert.Equal(0, shedding.InFlight);
    }

    // The endpoint holds each request until the test releases it (Items["release"]); others finish at once.
    private static Task Hold(HttpContext ctx) => ctx.Items["release"] is TaskCompletionSource release ? release.Task : Task.CompletedTask;

    private static (DefaultHttpContext Context, TaskCompletionSource Release) Held(string method = "POST", string? body = null)
    {
        var context = Request(method, body: body);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Items["release"] = release;
        return (context, release);
    }

    [Fact]
    public async Task PastTheBudget_ARequestWaitsInTheQueue_AndTakesThePlaceThatComesFree()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var shedding = new LoadShedding(Hold, maxConcurrent: 2, reserved: 0, s_criticality, queueLimit: 2, TimeSpan.FromMilliseconds(100), time);
        var (first, releaseFirst) = Held();
        var (second, releaseSecond) = Held();
        Task[] busy = [shedding.InvokeAsync(first), shedding.InvokeAsync(second)];

        var waiting = Request("POST", body: Ordinary);
        var waited = shedding.InvokeAsync(waiting);
        Assert.False(waited.IsCompleted);
        Assert.Equal(1, shedding.Waiting);
        Assert.Equal(2, shedding.InFlight);

        releaseFirst.SetResult();
        await waited.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, waiting.Response.StatusCode);
        Assert.Equal(0, shedding.Waiting);

        releaseSecond.SetResult();
        await Task.WhenAll(busy);
        Assert.Equal(0, shedding.InFlight);
    }

    [Fact]
    public async Task AFullQueue_ShedsAtOnce_AndAWaitThatRunsOut_Is503_HoldingNoPlace()
    {
        var (shedding, time, running, release) = OneBusy(queueLimit: 1, TimeSpan.FromMilliseconds(100));

        var queued = Request("POST", body: Ordinary);
        var waited = shedding.InvokeAsync(queued);
        var overflow = Request("POST", body: Ordinary);
        await shedding.InvokeAsync(overflow);
        Assert.Equal(503, overflow.Response.StatusCode);
        Assert.Equal("1", overflow.Response.Headers.RetryAfter.ToString());
        Assert.False(waited.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(waited.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waited.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(503, queued.Response.StatusCode);
        Assert.Equal(0, shedding.Waiting);
        Assert.Equal(1, shedding.InFlight);

        // The place that comes free goes to no one who gave up: the next request takes it.
        release.SetResult();
        await running;
        await AllPlacesAreFree(shedding);
    }

    [Fact]
    public async Task InTheQueue_P1AppealsAndReadsGoFirst_AndAnAbortedRequestLeavesIt()
    {
        var (shedding, time, running, release) = OneBusy(queueLimit: 3, TimeSpan.FromSeconds(5));

        var (ordinary, releaseOrdinary) = Held(body: Ordinary);
        var ordinaryWaits = shedding.InvokeAsync(ordinary);
        var (aborted, _) = Held(body: Ordinary);
        using var abort = new CancellationTokenSource();
        aborted.RequestAborted = abort.Token;
        var abortedWaits = shedding.InvokeAsync(aborted);
        var (urgent, releaseUrgent) = Held(body: Urgent);
        var urgentWaits = shedding.InvokeAsync(urgent);
        Assert.Equal(3, shedding.Waiting);

        await abort.CancelAsync();
        await abortedWaits.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, shedding.Waiting);

        release.SetResult();
        await running;
        // The P1 appeal came last but is served first; the ordinary one still waits.
        await WaitUntil(() => shedding.Waiting == 1);
        Assert.Equal(1, shedding.InFlight);
        Assert.False(ordinaryWaits.IsCompleted);

        releaseUrgent.SetResult();
        await urgentWaits.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntil(() => shedding.Waiting == 0);
        releaseOrdinary.SetResult();
        await ordinaryWaits.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, urgent.Response.StatusCode);
        Assert.Equal(200, ordinary.Response.StatusCode);
        Assert.Equal(0, shedding.InFlight);
    }

    [Fact]
    public async Task AFullQueue_MakesRoomForAP1Appeal_TheOrdinaryThatWaitedLongestIsShed()
    {
        var (shedding, time, running, release) = OneBusy(queueLimit: 2, TimeSpan.FromSeconds(5));
        var oldest = Request("POST", body: Ordinary);
        var oldestWaits = shedding.InvokeAsync(oldest);
        var (newer, releaseNewer) = Held(body: Ordinary);
        var newerWaits = shedding.InvokeAsync(newer);
        Assert.Equal(2, shedding.Waiting);

        var (urgent, releaseUrgent) = Held(body: Urgent);
        var urgentWaits = shedding.InvokeAsync(urgent);
        await oldestWaits.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(503, oldest.Response.StatusCode);
        Assert.Equal(2, shedding.Waiting);

        // Another ordinary one finds the queue full and nothing to displace: shed at once.
        var late = Request("POST", body: Ordinary);
        await shedding.InvokeAsync(late);
        Assert.Equal(503, late.Response.StatusCode);

        release.SetResult();
        await running;
        await WaitUntil(() => shedding.Waiting == 1);
        releaseUrgent.SetResult();
        await urgentWaits.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, urgent.Response.StatusCode);
        await WaitUntil(() => shedding.Waiting == 0);
        releaseNewer.SetResult();
        await newerWaits.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, newer.Response.StatusCode);
        await AllPlacesAreFree(shedding);
    }

    // A budget of one, taken by a request the test releases; no reserve; a queue on a fake clock.
    private static (LoadShedding Shedding, Microsoft.Extensions.Time.Testing.FakeTimeProvider Time, Task Running, TaskCompletionSource Release) OneBusy(int queueLimit, TimeSpan queueTimeout)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var shedding = new LoadShedding(Hold, maxConcurrent: 1, reserved: 0, s_criticality, queueLimit, queueTimeout, time);
        var (busy, release) = Held();
        return (shedding, time, shedding.InvokeAsync(busy), release);
    }

    [Fact]
    public async Task ShedRequests_AreCountedByClass_AndLeftOutOfTheRequestDurations()
    {
        var release = new TaskCompletionSource();
        var shedding = new LoadShedding(_ => release.Task, maxConcurrent: 1, reserved: 0, s_criticality);
        var busy = shedding.InvokeAsync(Request("POST"));

        var ordinary = Request("POST", body: Ordinary);
        var ordinaryTags = new MetricsTags();
        ordinary.Features.Set<IHttpMetricsTagsFeature>(ordinaryTags);
        await shedding.InvokeAsync(ordinary);
        var read = Request("GET", "/api/v1/tickets");
        await shedding.InvokeAsync(read);
        var urgent = Request("POST", body: Urgent);
        await shedding.InvokeAsync(urgent);

        Assert.All([ordinary, read, urgent], c => Assert.Equal(503, c.Response.StatusCode));
        Assert.True(ordinaryTags.MetricsDisabled);
        Assert.Equal(3, shedding.Shed);
        Assert.Equal(2, shedding.ShedReserved); // the read and the P1 appeal: the reserve was none

        release.SetResult();
        await busy;
        var served = Request("POST");
        var servedTags = new MetricsTags();
        served.Features.Set<IHttpMetricsTagsFeature>(servedTags);
        await shedding.InvokeAsync(served);
        Assert.Equal(200, served.Response.StatusCode);
        Assert.False(servedTags.MetricsDisabled);
        Assert.Equal(3, shedding.Shed);
    }

    [Fact]
    public async Task ALongLivedResponse_GivesItsPlaceBack_OnceAndForAll()
    {
        var stream = new TaskCompletionSource();
        var gaveBack = new TaskCompletionSource();
        var shedding = new LoadShedding(async ctx =>
        {
            if (ctx.Request.Path == "/live")
            {
                var place = ctx.Features.Get<AdmittedPlace>()!;
                place.GiveBack();
                place.GiveBack();
                gaveBack.SetResult();
                await stream.Task;
            }
        }, maxConcurrent: 1, reserved: 0, s_criticality);

        var live = shedding.InvokeAsync(Request("GET", "/live"));
        await gaveBack.Task;
        Assert.Equal(0, shedding.InFlight);
        var meanwhile = Request("POST");
        await shedding.InvokeAsync(meanwhile); // the stream is still open, its place is free
        Assert.Equal(200, meanwhile.Response.StatusCode);

        stream.SetResult();
        await live;
        Assert.Equal(0, shedding.InFlight); // not given back a second time when it ends
        Assert.Equal(0, shedding.Shed);
        await AllPlacesAreFree(shedding);
    }

    private sealed class MetricsTags : IHttpMetricsTagsFeature
    {
        public ICollection<KeyValuePair<string, object?>> Tags { get; } = [];

        public bool MetricsDisabled { get; set; }
    }

    // Nothing in flight, and the next request is served.
    private static async Task AllPlacesAreFree(LoadShedding shedding)
    {
        Assert.Equal(0, shedding.InFlight);
        var after = Request("POST");
        await shedding.InvokeAsync(after);
        Assert.Equal(200, after.Response.StatusCode);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
