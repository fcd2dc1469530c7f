using System.Diagnostics;
using System.Globalization;
using ModuleBlackList.Matching;

namespace PbxModules.Benchmarks;

/// <summary>
/// Memory per rule of <see cref="BlackListIndex"/> (not a BenchmarkDotNet benchmark: one measurement per
/// size, in this process). Retained: the managed heap after a full collection, with the index loaded
/// and the source rows dropped, minus the heap before the rows were made; that is what the daemon keeps
/// for the list (rule objects, pattern and canonical strings, dictionary entries). Allocated: every byte
/// allocated while loading, garbage included. Run: <c>dotnet run -c Release --project
/// bench/PbxModules.Benchmarks -- --memory [10000,100000,1000000]</c>.
/// </summary>
internal static class BlackListMemoryReport
{
    public static int Run(string[] args)
    {
        var sizes = args.Length > 0
            ? args[0].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : [10_000, 100_000, 1_000_000];
        Console.WriteLine("BlackListIndex memory (rules from BlackListRuleSet: 90% exact, 10% prefix, 1% allow)");
        Console.WriteLine($"{"Rules",10} {"Retained",12} {"B/rule",8} {"Allocated",12} {"B/rule",8} {"Load ms",8}");
        foreach (var size in sizes)
        {
            var (retained, allocated, elapsed, count) = Measure(size);
            if (count != size) throw new InvalidOperationException($"Indexed {count} of {size} rules.");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size,10:N0} {retained / 1024.0 / 1024.0,9:F1} MB {retained / (double)size,8:F0} {allocated / 1024.0 / 1024.0,9:F1} MB {allocated / (double)size,8:F0} {elapsed.TotalMilliseconds,8:F0}"));
        }
        return 0;
    }

    private static (long Retained, long Allocated, TimeSpan Elapsed, int Count) Measure(int size)
    {
        var before = Settle();
        var rules = BlackListRuleSet.Rules(size);
        var index = new BlackListIndex();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        index.Load(rules);
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        rules = null;
        var after = Settle();
        var count = index.Count;
        GC.KeepAlive(index);
        GC.KeepAlive(rules);
        return (after - before, allocated, watch.Elapsed, count);
    }

    private static long Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
