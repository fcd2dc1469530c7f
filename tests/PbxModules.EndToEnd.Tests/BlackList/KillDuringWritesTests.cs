using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// Concurrent REST writes across <c>kill -9</c> and restart of the real daemon (docs/RELIABILITY.md,
/// "REST writes across kill -9"): every write the API acknowledged is in the database after the restarts,
/// and both SQLite databases (the host's and the module's) pass <c>PRAGMA integrity_check</c>.
/// </summary>
public sealed class KillDuringWritesTests
{
    /// <summary>Times the daemon is killed while writers are busy.</summary>
    public const int Kills = 3;

    /// <summary>Concurrent writers.</summary>
    public const int Writers = 8;

    /// <summary>Acknowledged writes per round before the kill (the writers keep going while it lands).</summary>
    public const int AcknowledgedPerRound = 150;

    private const string Numbers = "/pbxcore/api/v3/module-black-list/numbers";

    [Fact]
    public async Task Every_acknowledged_write_survives_kill_9_and_both_databases_stay_sound()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-kill-").FullName;
        var modules = ModuleFolders.Install(root);
        var settings = new Dictionary<string, string> { ["Paths:Modules"] = modules };
        var acknowledged = new ConcurrentDictionary<string, string>(); // description -> number
        var sequence = 0;
        try
        {
            for (var round = 0; round < Kills; round++)
            {
                await using var daemon = await TestDaemon.StartAsync(root, settings);
                await BlackListRest.WaitForModuleAsync(daemon.Http);
                using var enough = new CancellationTokenSource();
                var target = acknowledged.Count + AcknowledgedPerRound;
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    while (true)
                    {
                        var n = Interlocked.Increment(ref sequence);
                        // Unique numbers of a kind the module accepts (+1 303 555 0000 to 9999).
                        if (n >= 10_000) throw new InvalidOperationException("more writes than numbers");
                        var number = $"+1303555{n:D4}";
                        var description = $"kill9 {n}";
                        try
                        {
                            using var response = await daemon.Http.PostAsJsonAsync(Numbers, new { number, description });
                            if (response.StatusCode != HttpStatusCode.Created)
                                throw new InvalidOperationException($"POST {number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                            acknowledged[description] = number;
                            if (acknowledged.Count >= target) await enough.CancelAsync();
                        }
                        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException or IOException) && enough.IsCancellationRequested)
                        {
                            // The daemon died under this request: it was never acknowledged.
                            return;
                        }
                    }
                })).ToList();

                // kill -9 while every writer has a request in flight or about to be sent.
                await Task.WhenAny(Task.Delay(Timeout.Infinite, enough.Token).ContinueWith(_ => { }, TaskScheduler.Default), Task.WhenAll(writers))
                    .WaitAsync(TimeSpan.FromSeconds(120));
                Assert.True(enough.IsCancellationRequested, "a writer failed before the kill: " + string.Join("; ", writers.Where(w => w.IsFaulted).Select(w => w.Exception!.InnerException!.Message)));
                await daemon.KillAsync();
                await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
            }

            // A last start on the same folders: the module opens its database after the crashes and lists every rule.
            await using (var daemon = await TestDaemon.StartAsync(root, settings))
            {
                await BlackListRest.WaitForModuleAsync(daemon.Http);
                await daemon.StopAsync();
            }

            var stored = await DescriptionsAsync(Path.Combine(root, "var", "data", "modules", "module-black-list.db"));
            var missing = acknowledged.Keys.Where(d => !stored.Contains(d)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged writes are missing, e.g. {string.Join(", ", missing.Take(5))}");
            Assert.True(acknowledged.Count >= Kills * AcknowledgedPerRound);
            Assert.Equal("ok", await IntegrityAsync(Path.Combine(root, "var", "data", "pbxmodules.db")));
            Assert.Equal("ok", await IntegrityAsync(Path.Combine(root, "var", "data", "modules", "module-black-list.db")));
        }
        finally
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

    private static async Task<HashSet<string>> DescriptionsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Description FROM m_BlackListNumbers WHERE Description LIKE 'kill9 %'";
        var result = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }

    private static async Task<string> IntegrityAsync(string database)
    {
        Assert.True(File.Exists(database), database + " does not exist");
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
