using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// <c>kill -9</c> of the real daemon at every step of an install and of an upgrade (docs/ARCHITECTURE.md,
/// "Journal and crash safety"): a daemon started with the fault-injection seam
/// (<c>PBXMODULES_FAULT_INJECTION=1</c>, <c>ModuleHost:FaultInjection:KillAtStep</c>) SIGKILLs itself right
/// after journaling the step, under a signed package uploaded over REST; a daemon started again without
/// the seam on the same folders and ports must show either the state from before (nothing installed; the
/// old version with every row) or the new version whole: before <c>enabled</c> back, from it on forward.
/// Never a half-state, no journal, staging or backup left, and the next install or upgrade goes through.
/// </summary>
[Collection(PackageDaemonCollection.Name)]
public sealed class TransitionKillTests(ModulePackages packages)
{
    /// <summary>The step from which recovery rolls forward (TransitionStep's documented rule).</summary>
    private const string FirstStepRolledForward = "enabled";

    private const string Id = ModulePackages.Migrating;
    private const int SigKillExitCode = 128 + 9;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly string[] Rows = ["alice", "bob", "carol"];

    public static TheoryData<string> InstallSteps => [.. DaemonTransitionSteps.Of("install")];

    public static TheoryData<string> UpgradeSteps => [.. DaemonTransitionSteps.Of("upgrade")];

    [Theory]
    [MemberData(nameof(InstallSteps))]
    public async Task A_kill_9_at_any_step_of_an_install_leaves_it_not_installed_or_installed_whole(string step)
    {
        using var temp = new TestRoot("pbxmodules-e2e-kill-install-");
        var root = temp.Path;
        await using var daemon = await KilledAndRestartedAsync(root, $"install:{step}", before: _ => Task.CompletedTask, client => PackageApi.InstallAsync(client, packages.MigratingV1));
        using var http = PackageApi.Client(daemon);
        AssertNothingInProgress(root);
        if (RollsForward("install", step))
        {
            await AssertInstalledAsync(http, root, "1.0.0", "MigratingV1.dll");
            Assert.Empty(await NamesAsync(root));
            // The install is complete: the next transition, an upgrade, goes through.
            await PackageApi.ExpectAsync(await PackageApi.UpgradeAsync(http, Id, packages.MigratingV2), HttpStatusCode.OK, "upgrade after the recovered install");
            await AssertInstalledAsync(http, root, "1.1.0", "MigratingV2.dll");
        }
        else
        {
            Assert.Null(await PackageApi.ModuleAsync(http, Id));
            Assert.DoesNotContain(Id, await PackageApi.ModuleIdsAsync(http));
            Assert.False(Directory.Exists(Path.Combine(ModulesFolder(root), Id)), "the module's folder is left");
            Assert.False(File.Exists(Database(root)), "the module's database is left");
            await PackageApi.ExpectAsync(await PackageApi.InstallAsync(http, packages.MigratingV1), HttpStatusCode.OK, "install after the rolled-back one");
            await AssertInstalledAsync(http, root, "1.0.0", "MigratingV1.dll");
        }
        AssertNothingInProgress(root);
    }

    [Theory]
    [MemberData(nameof(UpgradeSteps))]
    public async Task A_kill_9_at_any_step_of_an_upgrade_leaves_the_old_version_with_its_rows_or_the_new_one_whole(string step)
    {
        using var temp = new TestRoot("pbxmodules-e2e-kill-upgrade-");
        var root = temp.Path;
        // The seam is set from the start: it kills at an upgrade's step only, so the install goes through.
        await using var daemon = await KilledAndRestartedAsync(root, $"upgrade:{step}", before: async client =>
        {
            await PackageApi.ExpectAsync(await PackageApi.InstallAsync(client, packages.MigratingV1), HttpStatusCode.OK, "install of 1.0.0");
            await InsertAsync(root, Rows); // while 1.0.0 runs (WAL: beside its connections)
        }, client => PackageApi.UpgradeAsync(client, Id, packages.MigratingV2));
        using var http = PackageApi.Client(daemon);
        AssertNothingInProgress(root);
        if (RollsForward("upgrade", step))
        {
            await AssertInstalledAsync(http, root, "1.1.0", "MigratingV2.dll");
            Assert.Equal(Rows.Select(r => r + "|migrated"), await NamesAsync(root, withNote: true));
            // Complete: the same upgrade again has nothing to do (200, "already at 1.1.0"), nothing half done to finish.
            var again = await PackageApi.ExpectAsync(await PackageApi.UpgradeAsync(http, Id, packages.MigratingV2), HttpStatusCode.OK, "the same upgrade again");
            Assert.Equal($"Module '{Id}' is already at 1.1.0.", again.GetProperty("messages").GetProperty("info")[0].GetString());
        }
        else
        {
            await AssertInstalledAsync(http, root, "1.0.0", "MigratingV1.dll");
            Assert.Equal(Rows, await NamesAsync(root));
            Assert.DoesNotContain("Note", await ColumnsAsync(root));
            await PackageApi.ExpectAsync(await PackageApi.UpgradeAsync(http, Id, packages.MigratingV2), HttpStatusCode.OK, "upgrade after the rolled-back one");
            await AssertInstalledAsync(http, root, "1.1.0", "MigratingV2.dll");
            Assert.Equal(Rows.Select(r => r + "|migrated"), await NamesAsync(root, withNote: true));
        }
        AssertNothingInProgress(root);
    }

    private static bool RollsForward(string operation, string step)
    {
        var steps = DaemonTransitionSteps.Of(operation).ToList();
        Assert.Contains(FirstStepRolledForward, steps);
        return steps.IndexOf(step) >= steps.IndexOf(FirstStepRolledForward);
    }

    /// <summary>The request dies with the daemon (no answer: the connection is reset), and the daemon ends by SIGKILL at that step.</summary>
    private static async Task KilledDuringAsync(PbxDaemon daemon, string at, Func<Task<HttpResponseMessage>> request)
    {
        var failed = await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var response = await request();
            Assert.Fail($"The daemon answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} instead of dying at {at}:\n{daemon.Output}");
        });
        Assert.NotNull(failed);
        // Its own "killing the daemon" line may never reach the output: the console logger writes from a queue the kill cuts short.
        Assert.True(await daemon.WaitForExitAsync(Patience) == SigKillExitCode, $"The daemon did not end by SIGKILL at {at}:\n{daemon.Output}");
    }

    /// <summary>
    /// Starts a daemon that kills itself at <paramref name="at"/>, runs <paramref name="before"/>, then the
    /// request it dies under; returns the daemon started again, without the seam, on the same folders and ports.
    /// </summary>
    private async Task<PbxDaemon> KilledAndRestartedAsync(string root, string at, Func<HttpClient, Task> before, Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        var crashing = await PbxDaemon.StartAsync(Options(root, at));
        await using (crashing)
        {
            using var client = PackageApi.Client(crashing);
            await before(client);
            await KilledDuringAsync(crashing, at, () => request(client));
        }
        return await crashing.RestartAsync(Options(root, killAt: null));
    }

    private PbxDaemonOptions Options(string root, string? killAt)
    {
        var settings = new Dictionary<string, string>(packages.TrustSettings) { ["Paths:Modules"] = ModulesFolder(root) };
        Directory.CreateDirectory(ModulesFolder(root));
        var environment = new Dictionary<string, string>();
        if (killAt is not null)
        {
            settings["ModuleHost:FaultInjection:KillAtStep"] = killAt;
            environment["PBXMODULES_FAULT_INJECTION"] = "1";
        }
        return TestDaemon.Options(root, settings, environment);
    }

    private static async Task AssertInstalledAsync(HttpClient http, string root, string version, string assembly)
    {
        var module = await PackageApi.ModuleAsync(http, Id) ?? throw new Xunit.Sdk.XunitException($"{Id} is not installed");
        Assert.Equal(version, module.GetProperty("version").GetString());
        Assert.Equal(version, module.GetProperty("installedVersion").GetString());
        Assert.Equal("Enabled", module.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Object, module.GetProperty("package").ValueKind);
        Assert.Single(await PackageApi.ModuleIdsAsync(http), Id);
        var folder = Path.Combine(ModulesFolder(root), Id);
        Assert.Equal([assembly], Directory.EnumerateFiles(folder, "Migrating*.dll").Select(Path.GetFileName));
    }

    /// <summary>No transition left half done: no journal (nor its data backup), nothing staged, no old folder kept.</summary>
    private static void AssertNothingInProgress(string root)
    {
        foreach (var folder in new[] { Path.Combine(DataFolder(root), "journal"), Path.Combine(ModulesFolder(root), ".staging"), Path.Combine(ModulesFolder(root), ".backup") })
            Assert.True(!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any(), $"{folder} holds {string.Join(", ", Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder) : [])}");
    }

    private static string ModulesFolder(string root) => Path.Combine(root, "modules");

    private static string DataFolder(string root) => Path.Combine(root, "var", "data");

    private static string Database(string root) => Path.Combine(DataFolder(root), "modules", Id + ".db");

    private static async Task InsertAsync(string root, IEnumerable<string> names)
    {
        await using var connection = await OpenAsync(root);
        foreach (var name in names)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO m_Items (Name) VALUES ($name)";
            command.Parameters.AddWithValue("$name", name);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<string>> NamesAsync(string root, bool withNote = false)
    {
        if (!File.Exists(Database(root))) return [];
        await using var connection = await OpenAsync(root);
        await using var command = connection.CreateCommand();
        command.CommandText = withNote ? "SELECT Name || '|' || Note FROM m_Items ORDER BY Id" : "SELECT Name FROM m_Items ORDER BY Id";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private static async Task<List<string>> ColumnsAsync(string root)
    {
        await using var connection = await OpenAsync(root);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('m_Items')";
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        return columns;
    }

    private static async Task<SqliteConnection> OpenAsync(string root)
    {
        var connection = new SqliteConnection($"Data Source={Database(root)};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
