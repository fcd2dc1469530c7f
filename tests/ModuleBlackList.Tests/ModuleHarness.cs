using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModuleBlackList.Agi;
using ModuleBlackList.CallLog;
using ModuleBlackList.Flood;
using ModuleBlackList.Sounds;
using Microsoft.Extensions.Time.Testing;
using ModuleBlackList.Ami;
using ModuleBlackList.Data;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Dialplan;

namespace ModuleBlackList.Tests;

/// <summary>
/// The module's real service, tracker and AMI worker in-process, on an in-memory SQLite database
/// and a fake clock, with a fake AMI client and dialplan refresher (what the host would supply).
/// </summary>
internal sealed class ModuleHarness : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly ServiceProvider _services;
    private readonly string? _file;

    private ModuleHarness(SqliteConnection connection, ServiceProvider services, string? file)
    {
        _connection = connection;
        _services = services;
        _file = file;
    }

    /// <summary>The database's connection string.</summary>
    public string ConnectionString => _connection.ConnectionString;

    public FakeTimeProvider Time => _services.GetRequiredService<FakeTimeProvider>();
    public LogCapture Logs => _services.GetRequiredService<LogCapture>();
    public FloodCounter Flood => _services.GetRequiredService<FloodCounter>();
    public IServiceProvider Services => _services;
    public BlackListService BlackList => _services.GetRequiredService<BlackListService>();
    public LastCallerTracker LastCallers => _services.GetRequiredService<LastCallerTracker>();
    public CallTrackingWorker Worker => _services.GetRequiredService<CallTrackingWorker>();
    public FakeAmiClient Ami => _services.GetRequiredService<FakeAmiClient>();
    public FakeDialplanRefresher Dialplan => _services.GetRequiredService<FakeDialplanRefresher>();
    public IServiceScopeFactory Scopes => _services.GetRequiredService<IServiceScopeFactory>();

    /// <summary>Creates the database (with these settings stored), starts the service and waits until it has loaded.</summary>
    /// <param name="settings">Stored settings; none stored when null.</param>
    /// <param name="start">False: the service is created but not started.</param>
    /// <param name="onFile">A database file in rollback-journal mode (so that another connection can lock readers out) instead of memory.</param>
    /// <param name="soundsDirectory">Asterisk's sounds directory as the module is configured with it (default: one that does not exist).</param>
    public static async Task<ModuleHarness> StartAsync(BlackListSettings? settings = null, bool start = true, bool onFile = false, string? soundsDirectory = null)
    {
        var file = onFile ? Path.Combine(Path.GetTempPath(), $"bl-tests-{Guid.NewGuid():N}.db") : null;
        var connection = new SqliteConnection(file is null ? "Data Source=:memory:" : $"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        var services = new ServiceCollection()
            .AddSingleton(new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)))
            .AddSingleton<TimeProvider>(s => s.GetRequiredService<FakeTimeProvider>())
            .AddSingleton<LogCapture>()
            .AddLogging(b => b.ClearProviders().SetMinimumLevel(LogLevel.Debug).Services.AddSingleton<ILoggerProvider>(s => s.GetRequiredService<LogCapture>()))
            .AddSingleton<IOptionsMonitor<BlackListOptions>>(new StaticOptions<BlackListOptions>(new BlackListOptions { SoundsDirectory = soundsDirectory ?? Path.Combine(Path.GetTempPath(), "no-such-asterisk-sounds") }))
            .AddSingleton<SoundLibrary>()
            .AddSingleton<MissingSoundReporter>()
            .AddSingleton<FloodCounter>()
            .AddSingleton<FloodGuard>()
            .AddSingleton<CallLogWriter>()
            .AddTransient<CheckHandler>()
            .AddTransient<AddNumberHandler>()
            .AddTransient<RemoveNumberHandler>()
            .AddTransient<BlockLastCallerHandler>()
            .AddDbContext<BlackListDbContext>(o => o.UseSqlite(connection))
            .AddSingleton<FakeDialplanRefresher>()
            .AddSingleton<IDialplanRefresher>(s => s.GetRequiredService<FakeDialplanRefresher>())
            .AddSingleton<FakeAmiClient>()
            .AddSingleton<IAmiClient>(s => s.GetRequiredService<FakeAmiClient>())
            .AddSingleton<BlackListService>()
            .AddSingleton<LastCallerTracker>()
            .AddSingleton<CallTrackingWorker>()
            .BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
            await db.Database.EnsureCreatedAsync();
            if (onFile) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = DELETE");
            if (settings is not null)
            {
                db.Settings.Add(new Models.BlackListSettingsRow { Json = JsonSerializer.Serialize(settings, new JsonSerializerOptions(JsonSerializerDefaults.Web)) });
                await db.SaveChangesAsync();
            }
        }
        var harness = new ModuleHarness(connection, services, file);
        if (!start) return harness;
        await harness.BlackList.StartAsync(CancellationToken.None);
        await harness.BlackList.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return harness;
    }

    /// <summary>An AMI event as the host hands it to the worker.</summary>
    public static AmiEvent Event(string name, params (string Name, string Value)[] headers)
        => new([new("Event", name), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))]);

    /// <summary>The first channel of a new call from <paramref name="callerId"/>.</summary>
    public ValueTask NewCallAsync(string callerId, string? uniqueId = null, string? linkedId = null)
    {
        uniqueId ??= $"1700000000.{Interlocked.Increment(ref s_sequence)}";
        return Worker.OnEventAsync(Event("Newchannel", ("CallerIDNum", callerId), ("Uniqueid", uniqueId), ("Linkedid", linkedId ?? uniqueId)), CancellationToken.None);
    }

    private static int s_sequence;

    /// <summary>The rules stored in the database.</summary>
    public async Task<List<Models.BlackListNumbers>> StoredRulesAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlackListDbContext>().Numbers.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _connection.DisposeAsync();
        if (_file is not null) File.Delete(_file);
    }
}

/// <summary>Answers <c>CoreShowChannels</c> with the channels set here; counts what was sent.</summary>
internal sealed class FakeAmiClient : IAmiClient
{
    public List<AmiEvent> Channels { get; } = [];
    public List<AmiAction> Sent { get; } = [];
    public bool IsConnected => true;

    public Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        Sent.Add(action);
        return Task.FromResult(new AmiResponse([new("Response", "Success")], action.Name == "CoreShowChannels" ? Channels : []));
    }
}

/// <summary>Counts dialplan refreshes the module asked for.</summary>
internal sealed class FakeDialplanRefresher : IDialplanRefresher
{
    public int Refreshes { get; private set; }

    public Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        Refreshes++;
        return Task.CompletedTask;
    }
}

/// <summary>Options that do not change.</summary>
internal sealed class StaticOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
