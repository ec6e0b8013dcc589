using Microsoft.AspNetCore.Http;
using Otklik.Server.Hosting;

namespace Otklik.Server.Tests;

public sealed class LoadSheddingTests
{
    private static DefaultHttpContext Request(string method, string path = "/api/v1/appeals")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    [Fact]
    public async Task PastTheBudget_WritesAre503WithRetryAfter_ReadsLast_AndCapacityComesBack()
    {
        var release = new TaskCompletionSource();
        var shedding = new LoadShedding(_ => release.Task, maxConcurrent: 2);
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
        Assert.Equal(0, shedding.InFlight);
        var after = Request("POST");
        await shedding.InvokeAsync(after);
        Assert.Equal(200, after.Response.StatusCode);
    }
}
