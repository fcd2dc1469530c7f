using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>A rule written straight into the module's database before the daemon starts (as REST would have stored it).</summary>
/// <param name="Id">The rule's id (what <c>BLACKLIST_RULE</c> reports).</param>
/// <param name="Number">The pattern as written.</param>
/// <param name="Normalized">Its canonical form, as the module computes it (the unit tests check the normaliser agrees).</param>
internal sealed record SeedRule(int Id, string Number, string Normalized)
{
    public bool IsPrefix => Number.EndsWith('*');
    public string Kind { get; init; } = "Block";
    public bool Enabled { get; init; } = true;
    public DateTime? ExpiresAt { get; init; }
    public string Scope { get; init; } = "";
}

/// <summary>
/// The real daemon with ModuleBlackList installed, pointed at a simulated Asterisk, its module
/// database seeded before start (settings row and rules: the module loads both when it starts).
/// Tests make calls through the FastAGI port as Asterisk would from the rendered dialplan.
/// </summary>
internal sealed class BlackListDaemon : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The sound files in the daemon's configured sounds directory (<c>Modules:module-black-list:SoundsDirectory</c>).</summary>
    public static readonly string[] InstalledSounds = ["custom/you-are-blocked", "custom/never-installed", "ss-noservice"];
    private const string ModuleId = "module-black-list";

    private BlackListDaemon(SimulatedAmiServer asterisk, PbxDaemon daemon, string root)
    {
        Asterisk = asterisk;
        Daemon = daemon;
        Root = root;
    }

    public SimulatedAmiServer Asterisk { get; }
    public PbxDaemon Daemon { get; }
    public string Root { get; }
    public string Database => DatabasePath(Root);
    public string DialplanFile => Path.Combine(Root, "var", "asterisk", "extensions_modules.conf");

    private static string DatabasePath(string root) => Path.Combine(root, "var", "data", "modules", ModuleId + ".db");

    /// <summary>
    /// Seeds the database, starts Asterisk (simulated) and the daemon, and waits until the module's
    /// dialplan has been loaded into Asterisk and its AMI worker is logged in.
    /// </summary>
    /// <param name="settings">Settings (camelCase, as the module stores them); omitted keys keep their defaults.</param>
    /// <param name="rules">Rules present at start.</param>
    /// <param name="tamper">Runs on the seeded database last (e.g. to break it).</param>
    /// <param name="hostSettings">The daemon's own settings (e.g. <c>Supervision:MaxFailures</c>).</param>
    public static async Task<BlackListDaemon> StartAsync(IReadOnlyDictionary<string, object> settings, IEnumerable<SeedRule>? rules = null, Action<SqliteConnection>? tamper = null,
        IReadOnlyDictionary<string, string>? hostSettings = null)
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-bl-").FullName;
        var modules = ModuleFolders.Install(root);
        Seed(DatabasePath(root), settings, rules ?? [], tamper);
        // Asterisk's sounds directory as the daemon sees it (PlaySound's sound is checked against it when saved).
        var sounds = Path.Combine(root, "var", "sounds");
        foreach (var sound in InstalledSounds)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(sounds, sound))!);
            File.WriteAllBytes(Path.Combine(sounds, sound + ".wav"), [0]);
        }

        var asterisk = new SimulatedAmiServer();
        await asterisk.StartAsync();
        PbxDaemon daemon;
        try
        {
            var all = new Dictionary<string, string>(hostSettings ?? new Dictionary<string, string>())
            {
                ["Paths:Modules"] = modules,
                [$"Modules:{ModuleId}:SoundsDirectory"] = sounds,
            };
            daemon = await TestDaemon.StartAsync(root, all, asterisk.Port);
        }
        catch
        {
            await asterisk.DisposeAsync();
            throw;
        }
        var started = new BlackListDaemon(asterisk, daemon, root);
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
            await asterisk.WaitForLoggedInClientsAsync(1, timeout.Token);
            // A working database: wait until the list is loaded (a broken one never is: calls get the fail mode).
            if (tamper is null) await started.WaitUntilLoadedAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var output = daemon.Output;
            await started.DisposeAsync();
            throw new TimeoutException($"The daemon did not load the dialplan, log in to AMI or load the list within {Patience.TotalSeconds} s:\n{output}");
        }
        return started;
    }

    /// <summary>Places a FastAGI call to a route of the module and waits for the session to end.</summary>
    public Task<SimulatedAgiCall> CallAsync(string handler, string? callerId, params string[] arguments)
        => CallAsync(handler, callerId, sounds: null, arguments);

    /// <summary>Places a FastAGI call on an Asterisk that has only <paramref name="sounds"/> installed (null: every sound).</summary>
    public async Task<SimulatedAgiCall> CallAsync(string handler, string? callerId, ISet<string>? sounds, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var call = await SimulatedAgiCall.ConnectAsync(Daemon.AgiPort, new SimulatedAgiCallOptions
        {
            Script = $"{ModuleId}/{handler}",
            CallerId = callerId,
            Arguments = arguments,
            Sounds = sounds,
        }, timeout.Token);
        try
        {
            await call.Completion.WaitAsync(timeout.Token);
        }
        finally
        {
            await call.DisposeAsync();
        }
        return call;
    }

    /// <summary>The in-call check, as the incoming route runs it: <c>AGI(…/check,${ARG1},${CHANNEL(linkedid)})</c> with the route's number (the linkedid left out: the handler uses the channel's uniqueid).</summary>
    public Task<SimulatedAgiCall> CheckAsync(string? callerId, string did = "") => CallAsync("check", callerId, did);

    /// <summary>The id of the rule stored for a pattern as written, once it exists.</summary>
    public async Task<long> RuleIdAsync(string number, string source)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var id = await ScalarAsync<long?>($"SELECT Id FROM m_BlackListNumbers WHERE Number = '{number.Replace("'", "''", StringComparison.Ordinal)}' AND Source = '{source}' ORDER BY Id DESC LIMIT 1");
            if (id is { } found) return found;
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Runs a query on the module's database (while the daemon runs: it is in WAL mode).</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Executes a statement on the module's database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Disables or enables the module over the host's REST API (trusted loopback in Development).</summary>
    public async Task SetModuleEnabledAsync(bool enabled)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using (var response = await Daemon.Http.PostAsync($"/pbxcore/api/v3/modules/{ModuleId}:{(enabled ? "enable" : "disable")}", null, timeout.Token))
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(enabled ? "enable" : "disable")}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}");
        if (enabled) await WaitUntilLoadedAsync(timeout.Token);
    }

    /// <summary>
    /// Waits until the module has loaded its list: until then a call gets the fail mode. Its settings
    /// resource answers 503 while loading (and 404 before the module's endpoints exist).
    /// </summary>
    public async Task WaitUntilLoadedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var response = await Daemon.Http.GetAsync($"/pbxcore/api/v3/{ModuleId}/settings", cancellationToken))
                if (response.StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Replaces the module's settings over REST; omitted keys get their defaults. A JSON merge patch
    /// (<c>PATCH …/module-black-list/settings</c>) that names every field: the given value, or null
    /// (back to the default). PUT would need every value spelled out.
    /// </summary>
    public async Task PutSettingsAsync(IReadOnlyDictionary<string, object> settings)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var current = await Daemon.Http.GetFromJsonAsync<JsonElement>($"/pbxcore/api/v3/{ModuleId}/settings", timeout.Token);
        var patch = current.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => settings.TryGetValue(p.Name, out var value) ? value : null);
        foreach (var (name, value) in settings) patch[name] = value;
        using var response = await Daemon.Http.PatchAsJsonAsync($"/pbxcore/api/v3/{ModuleId}/settings", patch, timeout.Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT settings: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}");
    }

    /// <summary>The daemon's output, for failure messages.</summary>
    public string Output => Daemon.Output;

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        await Asterisk.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A UTC time as EF Core's SQLite provider stores it.</summary>
    public static string SqlTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static void Seed(string database, IReadOnlyDictionary<string, object> settings, IEnumerable<SeedRule> rules, Action<SqliteConnection>? tamper)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        Execute(connection, BlackListSchema.CreateScript);
        Execute(connection, "INSERT INTO m_BlackListSettings (Id, Json) VALUES (1, $json)", ("$json", JsonSerializer.Serialize(settings)));
        foreach (var rule in rules)
        {
            Execute(connection,
                """
                INSERT INTO m_BlackListNumbers (Id, Number, Normalized, IsPrefix, Kind, Description, Enabled, CreatedAt, ExpiresAt, Scope, HitCount, LastHitAt, Source)
                VALUES ($id, $number, $normalized, $isPrefix, $kind, 'seeded by the test', $enabled, $createdAt, $expiresAt, $scope, 0, NULL, 'rest')
                """,
                ("$id", rule.Id), ("$number", rule.Number), ("$normalized", rule.Normalized), ("$isPrefix", rule.IsPrefix ? 1 : 0),
                ("$kind", rule.Kind), ("$enabled", rule.Enabled ? 1 : 0), ("$createdAt", SqlTime(DateTime.UtcNow)),
                ("$expiresAt", rule.ExpiresAt is { } e ? SqlTime(e) : DBNull.Value), ("$scope", rule.Scope));
        }
        tamper?.Invoke(connection);
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
