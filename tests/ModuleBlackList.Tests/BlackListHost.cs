using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModuleBlackList.Ami;
using ModuleBlackList.Data;
using ModuleBlackList.Flood;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Testing.Hosting;

namespace ModuleBlackList.Tests;

/// <summary>
/// ModuleBlackList in the real host (PbxModules.Sdk.Testing's <see cref="ModuleTestHost"/>): loaded by the real loader from
/// the folder &lt;PbxModule&gt; deployed, its services from its own <c>ConfigureServices</c>, its database the host's SQLite
/// file, AMI the simulated Asterisk, the dialplan the host's real refresher, on a fake clock. The module's assembly is
/// shared with the tests (ShareModuleAssemblies), so that they may look inside: its services are resolved from its container.
/// </summary>
internal sealed class BlackListHost : IAsyncDisposable
{
    public const string ModuleId = "module-black-list";

    /// <summary>The clock's start: 2026-11-24 12:00 UTC.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static int s_sequence;
    private int _reloadsAtStart;

    private BlackListHost(ModuleTestHost host, FakeTimeProvider time, LogCapture logs)
    {
        Host = host;
        Time = time;
        Logs = logs;
    }

    public ModuleTestHost Host { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>What the module logged (its own categories), with levels.</summary>
    public LogCapture Logs { get; }

    /// <summary>The module's own container.</summary>
    public IServiceProvider Services => Host.ModuleServices(ModuleId);

    public IServiceScopeFactory Scopes => Services.GetRequiredService<IServiceScopeFactory>();

    public BlackListService BlackList => Services.GetRequiredService<BlackListService>();

    public FloodCounter Flood => Services.GetRequiredService<FloodCounter>();

    public LastCallerTracker LastCallers => Services.GetRequiredService<LastCallerTracker>();

    /// <summary>The worker instance the host runs (a singleton of the module's container).</summary>
    public CallTrackingWorker Worker => Services.GetRequiredService<CallTrackingWorker>();

    /// <summary>The module's database file, as the host gives it to the module.</summary>
    public string ConnectionString
    {
        get
        {
            using var scope = Scopes.CreateScope();
            return scope.ServiceProvider.GetRequiredService<BlackListDbContext>().Database.GetConnectionString()!;
        }
    }

    /// <summary>How many times the module had the host refresh the dialplan since the start (each a changed file, so a reload sent to Asterisk).</summary>
    public int DialplanRefreshes => DialplanReloads() - _reloadsAtStart;

    /// <summary>Starts the host with the module, waits until its list has loaded, then stores <paramref name="settings"/> through the service when given.</summary>
    /// <param name="soundsDirectory">Asterisk's sounds directory as the module is configured with it (default: one that does not exist).</param>
    /// <param name="configuration">More of the module's configuration (section <c>Modules:module-black-list</c>), e.g. <c>MaxImportRows</c>.</param>
    public static async Task<BlackListHost> StartAsync(BlackListSettings? settings = null, string? soundsDirectory = null, IReadOnlyDictionary<string, string>? configuration = null)
    {
        var time = new FakeTimeProvider(Noon);
        // The host names a module's categories Module.<id>.<category>.
        var logs = new LogCapture(category => category.StartsWith($"Module.{ModuleId}.", StringComparison.Ordinal));
        var options = new ModuleTestHostOptions
        {
            Time = time,
            ShareModuleAssemblies = true,
            Settings =
            {
                [$"Modules:{ModuleId}:SoundsDirectory"] = soundsDirectory ?? Path.Combine(Path.GetTempPath(), "no-such-asterisk-sounds"),
                [$"Logging:LogLevel:Module.{ModuleId}"] = "Debug",
            },
            LoggerProviders = { logs },
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string>()) options.Settings[$"Modules:{ModuleId}:{key}"] = value;
        var host = new BlackListHost(await ModuleTestHost.StartAsync(options), time, logs);
        try
        {
            await host.BlackList.Ready.WaitAsync(TimeSpan.FromSeconds(30));
            if (settings is not null) Assert.Null(await host.BlackList.UpdateSettingsAsync(settings, CancellationToken.None));
            // The settings stand for ones stored before the start: what saving them logged (e.g. a sound not checked) is not the test's.
            host.Logs.Clear();
            host._reloadsAtStart = host.DialplanReloads();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>An AMI event as the host hands it to the worker.</summary>
    public static AmiEvent Event(string name, params (string Name, string Value)[] headers)
        => new([new("Event", name), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))]);

    /// <summary>The first channel of a new call from <paramref name="callerId"/>, from the simulated Asterisk through the host's AMI worker dispatch.</summary>
    public Task NewCallAsync(string callerId, string? uniqueId = null, string? linkedId = null)
    {
        uniqueId ??= $"1700000000.{Interlocked.Increment(ref s_sequence)}";
        return Host.RaiseAmiEventAsync("Newchannel", ("CallerIDNum", callerId), ("Uniqueid", uniqueId), ("Linkedid", linkedId ?? uniqueId));
    }

    /// <summary>The rules stored in the database.</summary>
    public async Task<List<Models.BlackListNumbers>> StoredRulesAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlackListDbContext>().Numbers.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
    }

    private int DialplanReloads() => Host.Asterisk.ReceivedActions.Count(a => a.Name == "Command" && a["Command"] == "dialplan reload");

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
