using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// The misbehaving module's database, slow job and broken dialplan contributor, in the real daemon,
/// with Asterisk (simulated) down at first: one daemon run, then a restart on the same folders.
/// </summary>
public sealed class JobDataAndDialplanTests
{
    [Fact]
    public async Task Module_data_is_created_before_install_a_slow_job_never_overlaps_and_stops_on_disable_and_the_dialplan_survives_a_broken_contributor()
    {
        await using var asterisk = new SimulatedAmiServer(new SimulatedAmiServerOptions { Port = PbxDaemon.FreePort() });
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Ami:ReconnectMaxDelay"] = "00:00:01",
            // Each run listens for AGI on a new free port; the address written into hooks must not follow it,
            // or the restart below would compose a different file.
            ["Dialplan:AgiBaseUrl"] = "agi://127.0.0.1:4573",
        };
        using var timeout = new CancellationTokenSource(ChaosDaemon.Patience);
        var conf = Path.Combine(root, "var", "asterisk", "extensions_modules.conf");
        var database = Path.Combine(root, "var", "data", "modules", "test-chaos.db");

        await using (var daemon = await ChaosDaemon.StartAsync(settings, asterisk.Port, root, "SurfacesModule"))
        {
            // Data: Paths:Data/modules/<id>.db, in WAL mode, every table prefixed m_; the module's two
            // contexts brought up to date before the install hook, which wrote a row in each: one by
            // its migration (recorded in m_migrations), one without migrations, from its model.
            Assert.Equal(("Enabled", (string?)null), await ChaosDaemon.ModuleAsync(daemon, timeout.Token));
            Assert.True(File.Exists(database));
            Assert.Equal("wal", await ScalarAsync<string>(database, "PRAGMA journal_mode"));
            // Besides SQLite's own, EF Core's migration lock (__EFMigrationsLock, a fixed name, empty between
            // migrations) is the one table that is not the module's.
            var tables = await ColumnAsync(database, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> '__EFMigrationsLock' ORDER BY name");
            Assert.Equal(["m_Installs", "m_JobRuns", "m_Ledger", "m_migrations"], tables);
            Assert.Equal(["20261124000000_CreateLedger"], await ColumnAsync(database, "SELECT MigrationId FROM m_migrations"));
            Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM m_Installs"));
            Assert.Equal(["installed"], await ColumnAsync(database, "SELECT Text FROM m_Ledger"));

            // Dialplan: the broken contributor is left out with a warning; the module's other
            // contributor and the other module are written. Asterisk is down: the reload is pending.
            using (var dialplan = await DialplanAsync(daemon, timeout.Token))
            {
                var warnings = dialplan.RootElement.GetProperty("messages").GetProperty("warning").EnumerateArray().Select(w => w.GetString()!).ToList();
                Assert.Contains(warnings, w => w.Contains("BrokenDialplan failed (InvalidOperationException: chaos: this dialplan contributor throws)", StringComparison.Ordinal));
                Assert.Contains(warnings, w => w.Contains("reload pending until AMI connects", StringComparison.Ordinal));
                var text = dialplan.RootElement.GetProperty("data").GetProperty("text").GetString()!;
                Assert.Contains("TEST_CHAOS=1", text, StringComparison.Ordinal);
                Assert.DoesNotContain("TEST_CHAOS_BROKEN", text, StringComparison.Ordinal);
                Assert.Contains("TEST_SURFACES=1", text, StringComparison.Ordinal);
                Assert.Contains("test-surfaces/echo", text, StringComparison.Ordinal);
                Assert.Equal(text, await File.ReadAllTextAsync(conf, timeout.Token));
                Assert.False(dialplan.RootElement.GetProperty("data").GetProperty("status").GetProperty("reloaded").GetBoolean());
            }

            // The pending reload is sent once AMI connects, once.
            await asterisk.StartAsync(timeout.Token);
            await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
            using (var dialplan = await WaitForReloadedAsync(daemon, timeout.Token))
                Assert.DoesNotContain(dialplan.RootElement.GetProperty("messages").GetProperty("warning").EnumerateArray(), w => w.GetString()!.Contains("reload pending", StringComparison.Ordinal));
            Assert.Single(Reloads(asterisk));

            // Jobs: the job (every 1 s, 2.5 s per run) has run several times, never two at once.
            while (await ScalarAsync<long>(database, "SELECT COUNT(*) FROM m_JobRuns WHERE Outcome = 'completed'") < 3)
                await Task.Delay(200, timeout.Token);
            Assert.Equal(0L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM m_JobRuns WHERE Concurrent <> 1"));

            // Disabling cancels the run in progress and waits for it: when the API answers, no run is
            // in progress, and none starts afterwards.
            using (var disabled = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/test-chaos:disable", null, timeout.Token))
                Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
            Assert.Equal(0L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM m_JobRuns WHERE Outcome IS NULL"));
            var runs = await ScalarAsync<long>(database, "SELECT COUNT(*) FROM m_JobRuns");
            // Absence is shown against a witness on the same Quartz scheduler, not a sleep: test-surfaces' job
            // also runs every 1 s, so once it has ticked three more times, a trigger of test-chaos left
            // behind would have started a run too.
            var witness = Path.Combine(root, "var", "data", "modules", "test-surfaces.db");
            const string Ticks = "SELECT COUNT(*) FROM m_Observations WHERE Kind = 'job'";
            var ticks = await ScalarAsync<long>(witness, Ticks);
            while (await ScalarAsync<long>(witness, Ticks) < ticks + 3) await Task.Delay(100, timeout.Token);
            Assert.Equal(runs, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM m_JobRuns"));

            // The module's lines left the dialplan, and Asterisk reloaded it.
            await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload" && Reloads(asterisk).Count == 2, timeout.Token);
            Assert.DoesNotContain("TEST_CHAOS", await File.ReadAllTextAsync(conf, timeout.Token), StringComparison.Ordinal);
        }

        // The restart has its own safety net: one for the whole test would be a budget for two daemon
        // starts, and a loaded machine spends most of it on the first.
        using var restart = new CancellationTokenSource(ChaosDaemon.Patience);

        // Stopping the daemon is not disabling its modules: the PBX keeps their hooks.
        Assert.Contains("TEST_SURFACES=1", await File.ReadAllTextAsync(conf, restart.Token), StringComparison.Ordinal);

        // Restart on the same folders: the composed dialplan is the same, so the file is not
        // rewritten and Asterisk is not asked to reload.
        var written = File.GetLastWriteTimeUtc(conf);
        asterisk.ClearReceivedActions();
        await using (var daemon = await ChaosDaemon.StartAsync(settings, asterisk.Port, root))
        {
            using (var dialplan = await DialplanAsync(daemon, restart.Token))
                Assert.False(dialplan.RootElement.GetProperty("data").GetProperty("status").GetProperty("changed").GetBoolean());
            Assert.Equal(written, File.GetLastWriteTimeUtc(conf));

            // Once logged in, the first reload Asterisk sees is the one enabling the module causes.
            await asterisk.WaitForLoggedInClientsAsync(1, restart.Token);
            using (var enabled = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/test-chaos:enable", null, restart.Token))
                Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
            await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", restart.Token);
            Assert.Single(Reloads(asterisk));
            Assert.Contains("TEST_CHAOS=1", await File.ReadAllTextAsync(conf, restart.Token), StringComparison.Ordinal);
        }
    }

    private static List<SimulatedAmiAction> Reloads(SimulatedAmiServer asterisk)
        => [.. asterisk.ReceivedActions.Where(a => a.Name == "Command" && a["Command"] == "dialplan reload")];

    private static async Task<JsonDocument> DialplanAsync(PbxDaemon daemon, CancellationToken cancellationToken)
        => JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/dialplan", cancellationToken));

    private static async Task<JsonDocument> WaitForReloadedAsync(PbxDaemon daemon, CancellationToken cancellationToken)
    {
        while (true)
        {
            var json = await DialplanAsync(daemon, cancellationToken);
            if (json.RootElement.GetProperty("data").GetProperty("status").GetProperty("reloaded").GetBoolean()) return json;
            json.Dispose();
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> ColumnAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }
}
