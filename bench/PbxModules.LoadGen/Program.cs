using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModuleBlackList;
using ModuleBlackList.Models;
using PbxModules.Benchmarks;
using PbxModules.LoadGen;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Testing.Daemon;

// Whole-daemon load: the real daemon process with ModuleBlackList and a seeded list, driven by whole
// FastAGI sessions as Asterisk runs them. See docs/BENCHMARKS.md.
//   dotnet run -c Release --project bench/PbxModules.LoadGen -- [--rules 100000] [--calls 20000] [--levels 1,50,500]
//     [--max-seconds 60] [--daemon path/to/PbxModules.Host.dll] [--daemon-log Warning] [--keep]

var options = LoadGenOptions.Parse(args);
if (options is null) return 2;

var culture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentCulture = culture;
CultureInfo.CurrentCulture = culture;
var daemonPath = options.DaemonPath ?? LoadGenDaemon.DefaultPath;
if (!File.Exists(daemonPath))
{
    Console.Error.WriteLine($"The daemon is not built at {daemonPath}: build host/PbxModules.Host (or pass --daemon).");
    return 2;
}

Console.WriteLine($"PbxModules load generator: {options.Rules:N0} rules, {options.Calls:N0} sessions per level and kind (at most {options.MaxSeconds} s each), levels {string.Join(", ", options.Levels)}");
Console.WriteLine($"Daemon: {daemonPath}");
Console.WriteLine($"Machine: {Environment.ProcessorCount} logical CPU(s), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; the load generator runs on the same machine as the daemon.");

// The list and the callers: the same synthetic set as the in-process lookup benchmarks.
var rules = BlackListRuleSet.Rules(options.Rules);
const int Pool = 4096;
var canonicalCallers = BlackListRuleSet.Callers(rules, Pool);
// As trunks send them: half E.164 with +, half national; the route's DID as ARG1.
var callers = canonicalCallers.Select((c, i) => i % 2 == 0 ? "+" + c : c[1..]).ToArray();
const string Did = "+18005550199";

// The in-process reference: the module's own service over the same rules.
var service = new BlackListService(
    new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
    new NoDialplan(), TimeProvider.System, NullLogger<BlackListService>.Instance);
service.Index.Load(rules);
var expected = callers.Select(c => service.Check(c, Did).Blocked).ToArray();
Console.WriteLine($"Callers: {Pool} distinct, {expected.Count(b => b) * 100.0 / Pool:F0}% blocked by the list (the rest: allowed or not listed)");

var root = Directory.CreateTempSubdirectory("pbxmodules-loadgen-").FullName;
try
{
    // 1. First start: the module installs and creates its database. 2. Seed it. 3. Start again: the list loads.
    var restPort = PbxDaemon.FreePort();
    var agiPort = PbxDaemon.FreePort();
    var amiPort = PbxDaemon.FreePort();
    var database = Path.Combine(root, "var", "data", "modules", "module-black-list.db");
    var watch = Stopwatch.StartNew();
    long emptyRss;
    await using (var first = await LoadGenDaemon.StartAsync(daemonPath, root, options.DaemonLog, restPort, agiPort, amiPort))
    {
        await WaitForTableAsync(database, first);
        emptyRss = first.WorkingSet;
    }
    Console.WriteLine($"Daemon installed ModuleBlackList in {watch.Elapsed.TotalSeconds:F1} s (resident {emptyRss / 1048576.0:F0} MB with an empty list)");

    watch.Restart();
    Seed(database, rules);
    Console.WriteLine($"Seeded {rules.Count:N0} rules into m_BlackListNumbers in {watch.Elapsed.TotalSeconds:F1} s");

    watch.Restart();
    await using var daemon = await LoadGenDaemon.StartAsync(daemonPath, root, options.DaemonLog, restPort, agiPort, amiPort);
    var endPoint = new IPEndPoint(IPAddress.Loopback, daemon.AgiPort);
    var probe = Array.IndexOf(expected, true);
    var probeEnvironment = FastAgiCaller.Environment(daemon.AgiPort, "module-black-list/check", callers[probe], Did, 0);
    while (true)
    {
        var outcome = await FastAgiCaller.RunAsync(endPoint, probeEnvironment, CancellationToken.None);
        if (outcome.Blacklisted == '1') break;
        if (watch.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"The list did not load within 5 minutes:\n{daemon.Output}");
        await Task.Delay(250);
    }
    var loadedRss = daemon.WorkingSet;
    Console.WriteLine($"Daemon restarted and answered a listed caller as blocked after {watch.Elapsed.TotalSeconds:F1} s (resident {loadedRss / 1048576.0:F0} MB: {(loadedRss - emptyRss) / (double)rules.Count:F0} B/rule over the empty list)");

    var checkEnvironments = callers.Select((c, i) => FastAgiCaller.Environment(daemon.AgiPort, "module-black-list/check", c, Did, i)).ToArray();
    var baselineEnvironments = callers.Select((c, i) => FastAgiCaller.Environment(daemon.AgiPort, "loadgen-no-such-module/check", c, Did, i)).ToArray();

    // Warm-up (JIT, tiered compilation, connection paths): not measured.
    await Level.RunAsync(endPoint, baselineEnvironments, null, 8, Math.Min(2000, options.Calls), TimeSpan.FromSeconds(20));
    await Level.RunAsync(endPoint, checkEnvironments, expected, 8, Math.Min(2000, options.Calls), TimeSpan.FromSeconds(20));

    Console.WriteLine();
    Console.WriteLine("Whole FastAGI sessions against the daemon (connect, environment, every command answered, until the daemon closes).");
    Console.WriteLine("Baseline: the same sessions on a route no module serves (loadgen-no-such-module/check: the router answers NOT_FOUND).");
    Console.WriteLine("Ratio: the check's time per session over the baseline's (sessions/s inverted), as BenchmarkDotNet prints it.");
    Console.WriteLine();
    Console.WriteLine($"| {"Concurrency",11} | {"Route",-32} | {"Sessions",8} | {"Errors",6} | {"Sessions/s",10} | {"p50 ms",7} | {"p99 ms",7} | {"max ms",7} | {"Ratio",5} | {"Blocked",7} | {"Wrong",5} |");
    Console.WriteLine($"|{new string('-', 13)}|{new string('-', 34)}|{new string('-', 10)}|{new string('-', 8)}|{new string('-', 12)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 7)}|{new string('-', 9)}|{new string('-', 7)}|");
    var results = new List<(int Level, LevelResult Baseline, LevelResult Check)>();
    var maxTime = TimeSpan.FromSeconds(options.MaxSeconds);
    foreach (var level in options.Levels)
    {
        var baseline = await Level.RunAsync(endPoint, baselineEnvironments, null, level, options.Calls, maxTime);
        Print(level, "not found (baseline)", baseline, baseline);
        var check = await Level.RunAsync(endPoint, checkEnvironments, expected, level, options.Calls, maxTime);
        Print(level, "module-black-list/check", check, baseline);
        results.Add((level, baseline, check));
    }

    // In-process: the same number of BlackListService.Check calls (normalise caller and DID, look up).
    Console.WriteLine();
    var inProcess = InProcess(service, callers, options.Calls);
    Console.WriteLine($"In-process BlackListService.Check over the same rules and callers ({inProcess.Count:N0} calls, one thread): "
        + $"{inProcess.Count / inProcess.Elapsed.TotalSeconds:N0} calls/s, p50 {inProcess.P50 * 1000:F2} µs, p99 {inProcess.P99 * 1000:F2} µs, max {inProcess.Max * 1000:F1} µs");
    var one = results.FirstOrDefault(r => r.Level == 1);
    if (one.Check is not null)
        Console.WriteLine($"A whole session at concurrency 1 (p50 {one.Check.P50:F3} ms) costs {one.Check.P50 / inProcess.P50:N0}× the in-process check (p50): the rest is TCP, the AGI round trips and routing.");
    var errors = results.Sum(r => r.Baseline.Errors + r.Check.Errors);
    var wrong = results.Sum(r => r.Baseline.Wrong + r.Check.Wrong);
    Console.WriteLine(errors + wrong == 0 ? "Every session ended as expected." : $"{errors} session(s) failed and {wrong} ended with the wrong answer: see above.");
    if (options.Keep) Console.WriteLine($"Kept {root}");
    return errors + wrong == 0 ? 0 : 1;
}
finally
{
    if (!options.Keep)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

static void Print(int level, string route, LevelResult r, LevelResult baseline)
{
    var ratio = r.Sessions == 0 || baseline.Sessions == 0 ? double.NaN : (baseline.Sessions / baseline.Elapsed.TotalSeconds) / (r.Sessions / r.Elapsed.TotalSeconds);
    Console.WriteLine($"| {level,11} | {route,-32} | {r.Sessions,8:N0} | {r.Errors,6} | {r.Sessions / r.Elapsed.TotalSeconds,10:N0} | {r.P50,7:F2} | {r.P99,7:F2} | {r.Max,7:F1} | {ratio,5:F2} | {(r.Checked ? r.Blocked.ToString("N0", CultureInfo.InvariantCulture) : "-"),7} | {r.Wrong,5} |");
}

static async Task WaitForTableAsync(string database, PbxDaemon daemon)
{
    var watch = Stopwatch.StartNew();
    while (true)
    {
        if (File.Exists(database))
        {
            try
            {
                using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'm_BlackListNumbers'";
                if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1) return;
            }
            catch (SqliteException)
            {
            }
        }
        if (watch.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"ModuleBlackList did not create its database within 3 minutes:\n{daemon.Output}");
        await Task.Delay(250);
    }
}

static void Seed(string database, List<BlackListNumbers> rules)
{
    using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
    connection.Open();
    using var transaction = connection.BeginTransaction();
    using var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = """
        INSERT INTO m_BlackListNumbers (Id, Number, Normalized, IsPrefix, Kind, Description, Enabled, CreatedAt, ExpiresAt, Scope, HitCount, LastHitAt, Source)
        VALUES ($id, $number, $normalized, $prefix, $kind, '', 1, '2026-11-24 12:00:00', NULL, '', 0, NULL, 'import')
        """;
    var id = command.Parameters.Add("$id", SqliteType.Integer);
    var number = command.Parameters.Add("$number", SqliteType.Text);
    var normalized = command.Parameters.Add("$normalized", SqliteType.Text);
    var prefix = command.Parameters.Add("$prefix", SqliteType.Integer);
    var kind = command.Parameters.Add("$kind", SqliteType.Text);
    command.Prepare();
    foreach (var rule in rules)
    {
        id.Value = rule.Id;
        number.Value = rule.Number;
        normalized.Value = rule.Normalized;
        prefix.Value = rule.IsPrefix ? 1 : 0;
        kind.Value = rule.Kind.ToString();
        command.ExecuteNonQuery();
    }
    transaction.Commit();
}

static LevelResult InProcess(BlackListService service, string[] callers, int calls)
{
    const string Did = "+18005550199";
    for (var i = 0; i < Math.Min(calls, 20_000); i++) service.Check(callers[i % callers.Length], Did); // warm-up
    var latencies = new double[calls];
    var blocked = 0;
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < calls; i++)
    {
        var start = Stopwatch.GetTimestamp();
        if (service.Check(callers[i % callers.Length], Did).Blocked) blocked++;
        latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    return LevelResult.From(latencies, watch.Elapsed, 0, blocked, 0, true);
}

/// <summary>The dialplan is never refreshed in the in-process reference.</summary>
internal sealed class NoDialplan : IDialplanRefresher
{
    public Task RefreshAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
