using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using PbxModules.Benchmarks;

// `--memory [sizes]`: the blacklist index's memory per rule (a plain measurement, not BenchmarkDotNet).
if (args.Length > 0 && args[0] == "--memory") return BlackListMemoryReport.Run(args[1..]);

// Every benchmark class in this assembly; pick with --filter. BenchmarkDotNet builds a project of its
// own first: on a small shared machine that takes longer than its default 2-minute limit.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
return 0;
