using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Appeals;

namespace Otklik.Server.Tests;

/// <summary>The embedded store's writer on a thread of its own, with a scheduling priority of its own.</summary>
public sealed class WriterThreadTests
{
    /// <summary>This thread's nice value as the kernel has it (/proc's stat, field 19).</summary>
    private static int OwnNice() => Nice("/proc/thread-self/stat");

    /// <summary>The process's main thread's: what the server's threads start with.</summary>
    private static int ProcessNice() => Nice("/proc/self/stat");

    private static int Nice(string statFile)
    {
        var stat = File.ReadAllText(statFile);
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task EveryContinuationOfTheWritersLoop_ComesBackToItsThread()
    {
        using var thread = new WriterThread("writer under test", 0);
        var seen = await Task.Factory.StartNew(async () =>
        {
            var names = new List<string?> { Thread.CurrentThread.Name };
            for (var i = 0; i < 5; i++)
            {
                await Task.Delay(1); // completes on a timer thread: the continuation is queued back to the writer's
                names.Add(Thread.CurrentThread.Name);
                await Task.Yield();
                names.Add(Thread.CurrentThread.Name);
            }
            return names;
        }, CancellationToken.None, TaskCreationOptions.None, thread).Unwrap().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(11, seen.Count);
        Assert.All(seen, name => Assert.Equal("writer under test", name));
    }

    [Fact]
    public async Task ANiceValue_IsTheWritersThreadsAlone_NotTheThreadsItStarts()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var before = OwnNice();
        using var thread = new WriterThread("writer under test", -5);
        if (thread.Refused is not null)
        {
            // Without the right to raise a priority (not root, no CAP_SYS_NICE): refused, and the thread keeps the server's.
            Assert.Equal(before, thread.Nice);
            return;
        }
        var (inside, started) = await Task.Factory.StartNew(() =>
        {
            var child = 0;
            var t = new Thread(() => child = OwnNice());
            t.Start();
            t.Join();
            return (OwnNice(), child);
        }, CancellationToken.None, TaskCreationOptions.None, thread).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Math.Max(before - 5, -20), thread.Nice);
        Assert.Equal(thread.Nice, inside);
        Assert.Equal(Math.Max(before, 0), started); // SCHED_RESET_ON_FORK: a negative nice value is not inherited
    }

    [Fact]
    public async Task TheServersIntakes_RunOnTheWritersThread_AtItsNiceValue()
    {
        using var factory = new OtklikFactory();
        factory.Integration();
        if (factory.Services.GetService<IntakeCommitter>() is not { } committer || !OperatingSystem.IsLinux())
        {
            return; // PostgreSQL's intake has no single writer
        }
        var (name, nice) = await committer.WriteAsync(_ => ValueTask.FromResult((Thread.CurrentThread.Name, OwnNice()))).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Otklik store writer", name);
        Assert.Equal(committer.WriterNice, nice);
        if (Environment.UserName == "root")
        {
            Assert.Equal(Math.Max(ProcessNice() - 10, -20), nice); // Desk:WriterNiceness's default
        }
    }
}
