using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Core.Policy;

namespace Otklik.Application.Policy;

/// <summary>
/// Replays started from the workspace or the API run in the background on this node; their progress
/// and results are kept in memory for an hour (they are a supervisor's what-if, not a record).
/// </summary>
public sealed class SimulationJobs(IServiceScopeFactory scopes, TimeProvider time)
{
    private const int Kept = 20;
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    public sealed class Job
    {
        public required string Id { get; init; }
        public required string PolicyVersion { get; init; }
        public required DateTimeOffset From { get; init; }
        public required DateTimeOffset To { get; init; }
        public required string StartedBy { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public int Done { get; internal set; }
        public int Total { get; internal set; }
        public PolicySimulator.Result? Result { get; internal set; }
        public string? Error { get; internal set; }
        public string Status => Error is not null ? "failed" : Result is not null ? "done" : "running";
    }

    public Job Start(GatePolicy candidate, DateTimeOffset from, DateTimeOffset to, string by)
    {
        var job = new Job { Id = "sim_" + Guid.NewGuid().ToString("N")[..12], PolicyVersion = candidate.Version, From = from, To = to, StartedBy = by, StartedAt = time.GetUtcNow() };
        foreach (var old in _jobs.Values.OrderByDescending(j => j.StartedAt).Skip(Kept - 1))
        {
            _jobs.TryRemove(old.Id, out _);
        }
        _jobs[job.Id] = job;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var simulator = scope.ServiceProvider.GetRequiredService<PolicySimulator>();
                job.Result = await simulator.RunAsync(from, to, candidate, new Reporter(job), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                job.Error = ex.GetType().Name + ": " + ex.Message;
            }
        });
        return job;
    }

    public Job? Find(string id) => _jobs.GetValueOrDefault(id);

    private sealed class Reporter(Job job) : IProgress<PolicySimulator.Progress>
    {
        public void Report(PolicySimulator.Progress value)
        {
            job.Total = value.Total;
            if (value.Done > job.Done)
            {
                job.Done = value.Done;
            }
        }
    }
}
