using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Otklik.Application;
using Otklik.Application.Coordination;
using Otklik.Application.Load;
using Otklik.Core.Policy;

namespace Otklik.Server.Tests;

/// <summary>
/// The load figure's recount: one count at a time however many callers find the figure old, the intake
/// deciding on the last figure while the count runs, and no figure from before an invalidation kept.
/// The counts come from a board the test answers by hand, so each count can be held open.
/// </summary>
public sealed class LoadMonitorTests
{
    private static readonly GatePolicy s_policy = new() { Version = "test" };

    private sealed class HeldBoard : ILoadBoard
    {
        private readonly Queue<TaskCompletionSource<LoadCounts?>> _counts = new();
        private readonly Lock _gate = new();

        public int Reads { get; private set; }

        public async ValueTask<LoadCounts?> ReadAsync(CancellationToken ct)
        {
            TaskCompletionSource<LoadCounts?> count = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                Reads++;
                _counts.Enqueue(count);
            }
            return await count.Task;
        }

        /// <summary>Waits until this many counts have asked the board.</summary>
        public async Task ReadsReachAsync(int reads)
        {
            for (var i = 0; i < 200 && Reads < reads; i++)
            {
                await Task.Delay(10);
            }
            Assert.Equal(reads, Reads);
        }

        public ValueTask PublishAsync(LoadCounts counts, TimeSpan freshFor, CancellationToken ct) => ValueTask.CompletedTask;

        /// <summary>Answers the oldest count still open with this many open tickets.</summary>
        public async Task AnswerAsync(int openTickets) =>
            (await OldestAsync()).SetResult(new LoadCounts(openTickets, AgentsOnline: 10, AvgHandleMinutes: 6));

        /// <summary>The oldest count still open fails.</summary>
        public async Task FailAsync() => (await OldestAsync()).SetException(new InvalidOperationException("the store is gone"));

        private async Task<TaskCompletionSource<LoadCounts?>> OldestAsync()
        {
            TaskCompletionSource<LoadCounts?>? count = null;
            for (var i = 0; i < 200 && count is null; i++)
            {
                lock (_gate)
                {
                    _counts.TryDequeue(out count);
                }
                if (count is null)
                {
                    await Task.Delay(10);
                }
            }
            Assert.NotNull(count);
            return count;
        }
    }

    private sealed class Warnings : ILogger<LoadMonitor>
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Said { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Said.Enqueue($"{logLevel}: {formatter(state, exception)} ({exception?.Message})");
    }

    private static (LoadMonitor Monitor, HeldBoard Board, FakeTimeProvider Time) Monitor(Warnings? warnings = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var board = new HeldBoard();
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        return (new LoadMonitor(Options.Create(new DeskOptions()), time, board, scopes, warnings ?? new Warnings()), board, time);
    }

    /// <summary>A monitor whose first count found 100 open tickets.</summary>
    private static async Task<(LoadMonitor Monitor, HeldBoard Board, FakeTimeProvider Time)> CountedOnceAsync(Warnings? warnings = null)
    {
        var (monitor, board, time) = Monitor(warnings);
        var first = monitor.CurrentAsync(s_policy, CancellationToken.None);
        await board.AnswerAsync(100);
        Assert.Equal(100, (await first).OpenTickets);
        return (monitor, board, time);
    }

    [Fact]
    public async Task ACountThatFails_IsLogged_TheLastFigureStands_AndTheNextCallCountsAgain()
    {
        var warnings = new Warnings();
        var (monitor, board, time) = await CountedOnceAsync(warnings);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(100, (await monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent)).OpenTickets);
        await board.FailAsync();
        for (var i = 0; i < 200 && warnings.Said.IsEmpty; i++)
        {
            await Task.Delay(10);
        }
        Assert.Contains(warnings.Said, w => w.StartsWith("Warning: Counting the open tickets", StringComparison.Ordinal) && w.Contains("the store is gone", StringComparison.Ordinal));

        Assert.Equal(100, (await monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent)).OpenTickets);
        await board.AnswerAsync(120);
        Assert.Equal(120, (await monitor.CurrentAsync(s_policy, CancellationToken.None)).OpenTickets);
        Assert.Equal(3, board.Reads);
    }

    [Fact]
    public async Task CallersWhoFindTheFigureOld_ShareOneCount()
    {
        var (monitor, board, time) = await CountedOnceAsync();

        time.Advance(TimeSpan.FromSeconds(2));
        var waiting = Enumerable.Range(0, 20).Select(_ => monitor.CurrentAsync(s_policy, CancellationToken.None).AsTask()).ToList();
        await board.AnswerAsync(130);
        var answers = await Task.WhenAll(waiting);

        Assert.All(answers, a => Assert.Equal(130, a.OpenTickets));
        Assert.Equal(2, board.Reads);
    }

    [Fact]
    public async Task TheIntake_DecidesOnTheLastFigure_WhileTheCountRuns()
    {
        var (monitor, board, time) = Monitor();
        var first = monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent);
        Assert.False(first.IsCompleted); // no figure yet: even the intake waits for the first count
        await board.AnswerAsync(100);
        Assert.Equal(100, (await first).OpenTickets);

        time.Advance(TimeSpan.FromSeconds(2));
        var meanwhile = monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent);
        Assert.True(meanwhile.IsCompletedSuccessfully);
        Assert.Equal(100, (await meanwhile).OpenTickets);
        monitor.TicketOpened();
        Assert.Equal(101, (await monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent)).OpenTickets);

        await board.AnswerAsync(150);
        for (var i = 0; i < 200 && (await monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent)).OpenTickets != 150; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(150, (await monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent)).OpenTickets);
        Assert.Equal(2, board.Reads);
    }

    [Fact]
    public async Task AfterAnInvalidation_CallersWaitForACountStartedAfterIt()
    {
        var (monitor, board, time) = await CountedOnceAsync();

        time.Advance(TimeSpan.FromSeconds(2));
        var before = monitor.CurrentAsync(s_policy, CancellationToken.None); // a count starts
        await board.ReadsReachAsync(2);
        monitor.Invalidate(); // say, a supervisor reported capacity meanwhile
        var after = monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent);

        await board.AnswerAsync(100); // the count from before the change answers its own callers only
        Assert.Equal(100, (await before).OpenTickets);
        Assert.False(after.IsCompleted);
        Assert.False(monitor.CurrentAsync(s_policy, CancellationToken.None, LoadMonitor.Freshness.Recent).IsCompleted);
        await board.AnswerAsync(90);
        Assert.Equal(90, (await after).OpenTickets);
        Assert.Equal(90, (await monitor.CurrentAsync(s_policy, CancellationToken.None)).OpenTickets);
        Assert.Equal(3, board.Reads); // the one waiting meanwhile joined the count after the change
    }
}
