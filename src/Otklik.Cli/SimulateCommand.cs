using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Policy;

namespace Otklik.Cli;

internal static class SimulateCommand
{
    public static Command Create(CliContext cli)
    {
        var from = new Option<string>("--from") { Description = "Start of the period (UTC)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the period (exclusive)", Required = true };
        var policy = new Option<FileInfo?>("--policy") { Description = "The candidate policy (JSON); default: the policy in force" };
        var generate = new Option<int>("--generate") { Description = "First fill the period with this many synthetic appeals (for measuring; never on a production store)" };
        var command = new Command("simulate", "Replay the period's stored appeals through a candidate policy and show what would change") { from, to, policy, generate };
        command.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var start = CliContext.ParseTime(parsed.GetValue(from)!);
            var end = CliContext.ParseTime(parsed.GetValue(to)!);
            var provider = services.GetRequiredService<PolicyProvider>();
            await services.GetRequiredService<PolicyVersions>().SyncAsync(ct);
            var candidate = parsed.GetValue(policy) is { } file ? PolicyProvider.Parse(await File.ReadAllTextAsync(file.FullName, ct)) : provider.Current;
            if (parsed.GetValue(generate) is > 0 and var n)
            {
                var sw = Stopwatch.StartNew();
                using (var bar = new ProgressBar(cli.Out, "generating", n))
                {
                    await services.GetRequiredService<SyntheticAppeals>().GenerateAsync(n, start, end, provider.Current, seed: 1, new Progress<int>(bar.Set), ct);
                }
                await cli.Out.WriteLineAsync($"generated {n} appeals in {sw.Elapsed.TotalSeconds:0.0} s");
            }
            PolicySimulator.Result result;
            using (var bar = new ProgressBar(cli.Out, "replaying", 0))
            {
                result = await services.GetRequiredService<PolicySimulator>().RunAsync(start, end, candidate, new Progress<PolicySimulator.Progress>(p => bar.Set(p.Done, p.Total)), ct);
            }
            await cli.Out.WriteLineAsync($"policy {candidate.Version} over {result.Total} appeals in {result.Seconds:0.0} s: {result.Changed} decisions change ({(result.Total == 0 ? 0 : 100.0 * result.Changed / result.Total):0.00} %)"
                + (result.WithoutSnapshot > 0 ? $"; {result.WithoutSnapshot} older appeals have no snapshot and were left out" : ""));
            ConsoleTable.Write(cli.Out, ["rule", "reason", "before", "after", "gained", "lost", "example"],
                [.. result.Rows.Select(r => new[] { r.Rule, r.Reason ?? "", r.Before.ToString(), r.After.ToString(), r.Gained.ToString(), r.Lost.ToString(),
                    r.Examples.FirstOrDefault() is { } e ? $"{e.AppealId}: {e.Before} → {e.After}" : "" })]);
            return 0;
        }));
        return command;
    }
}

/// <summary>A one-line progress bar, redrawn in place (plain lines when the output is not a terminal).</summary>
internal sealed class ProgressBar(TextWriter output, string label, int total) : IDisposable
{
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly bool _terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    private int _total = total;
    private int _done;
    private long _lastDraw;

    public void Set(int done) => Set(done, _total);

    private readonly Lock _lock = new();

    public void Set(int done, int total)
    {
        lock (_lock)
        {
            SetLocked(done, total);
        }
    }

    private void SetLocked(int done, int total)
    {
        _total = total;
        _done = Math.Max(_done, done);
        var now = _since.ElapsedMilliseconds;
        if (now - Interlocked.Read(ref _lastDraw) < 200 && _done < _total)
        {
            return;
        }
        Interlocked.Exchange(ref _lastDraw, now);
        Draw();
    }

    private void Draw()
    {
        var share = _total <= 0 ? 0 : Math.Min(1.0, (double)_done / _total);
        var filled = (int)(share * 30);
        var line = $"{label} [{new string('█', filled)}{new string('░', 30 - filled)}] {share * 100,5:0.0} %  {_done}/{_total}";
        if (_terminal)
        {
            output.Write("\r" + line);
        }
        else
        {
            output.WriteLine(line);
        }
    }

    public void Dispose()
    {
        Draw();
        if (_terminal)
        {
            output.WriteLine();
        }
    }
}
