using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Otklik.Benchmarks.GateBenchmarks).Assembly).Run(args);
