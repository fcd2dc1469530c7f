using BenchmarkDotNet.Running;
using PbxModules.Benchmarks;

// `--memory [sizes]`: the blacklist index's memory per rule (a plain measurement, not BenchmarkDotNet).
if (args.Length > 0 && args[0] == "--memory") return BlackListMemoryReport.Run(args[1..]);

// Every benchmark class in this assembly; pick with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
