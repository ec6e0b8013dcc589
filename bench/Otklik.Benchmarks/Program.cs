using BenchmarkDotNet.Running;

if (args.Contains("--latency"))
{
    Otklik.Benchmarks.GateLatency.Run(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Otklik.Benchmarks.GateBenchmarks).Assembly).Run(args);
