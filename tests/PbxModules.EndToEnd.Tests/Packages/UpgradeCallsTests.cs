using System.Collections.Concurrent;
using System.Net;
using PbxModules.EndToEnd.Tests.BlackList;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// No call is lost while a module is upgraded over REST, in the real daemon process: FastAGI calls keep
/// running through ModuleBlackList's check all along, a call held in flight inside test-versioned's handler
/// finishes on 1.0.0, one that arrives during the upgrade waits and reaches 2.0.0, and so does the next.
/// Synchronised on the daemon's log lines and the simulated caller's commands, never on time.
/// </summary>
[Collection(PackageDaemonCollection.Name)]
public sealed class UpgradeCallsTests(ModulePackages packages)
{
    private const string Id = ModulePackages.Versioned;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Calls_during_an_upgrade_over_REST_all_succeed_in_flight_on_the_old_version_and_after_it_on_the_new()
    {
        using var temp = new TestRoot("pbxmodules-e2e-upgrade-calls-");
        var root = temp.Path;
        await using var asterisk = new SimulatedAmiServer();
        await asterisk.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Paths:Modules"] = ModuleFolders.Install(root),
            ["Modules:AllowUnsigned"] = "true",
            // A deadline for the held call and the waiting one, not a measure: the test releases the held call itself.
            ["ModuleHost:DrainTimeout"] = "00:02:00",
        };
        await using var daemon = await PbxDaemon.StartAsync(TestDaemon.Options(root, settings, new Dictionary<string, string>(), asterisk.Port));
        using var http = PackageApi.Client(daemon);
        using var timeout = new CancellationTokenSource(Patience);
        await BlackListRest.WaitForModuleAsync(daemon.Http);
        await PackageApi.ExpectAsync(await PackageApi.InstallAsync(http, packages.VersionedV1), HttpStatusCode.OK, "install of test-versioned 1.0.0");
        Assert.Equal("1.0.0", await VersionAnsweringAsync(daemon, timeout.Token));

        // Calls through another module, one after another, from before the upgrade until after it.
        using var stopCalling = new CancellationTokenSource();
        var blackListCalls = new ConcurrentQueue<SimulatedAgiCall>();
        var firstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = 0;
        var calling = Task.Run(async () =>
        {
            while (!stopCalling.IsCancellationRequested)
            {
                // A caller each (none listed): calls from one number over and over would be a flood the module blocks.
                blackListCalls.Enqueue(await CallAsync(daemon, "module-black-list/check", $"+1303555{Interlocked.Increment(ref caller):D4}", timeout.Token, ""));
                firstCall.TrySetResult();
            }
        }, CancellationToken.None);
        await firstCall.Task.WaitAsync(timeout.Token);

        // In flight on 1.0.0: the handler waits for the reply to its NOOP, which the test holds back.
        await using var held = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, Options("hold").Reply("NOOP", SimulatedAgiReply.NoAnswer), timeout.Token);
        await held.WaitForCommandAsync(c => c.Name == "NOOP", timeout.Token);

        var upgrade = PackageApi.UpgradeAsync(http, Id, packages.VersionedV2);
        await daemon.WaitForOutputAsync($"Upgrading module {Id} from 1.0.0 to 2.0.0", Patience);

        // A call that arrives now waits for the new version while the held one keeps the old one from stopping.
        await using var arriving = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, Options("version"), timeout.Token);
        await daemon.WaitForOutputAsync($"An AGI session for module {Id} waits up to", Patience);
        for (var i = 0; i < 3; i++)
        {
            var during = await CallAsync(daemon, "module-black-list/check", $"+1212555{i:D4}", timeout.Token, "");
            // Known to run while the upgrade does (the background ones may fall before or after it).
            Assert.Equal("OK", during.Variables["PBXMODULES_STATUS"]);
            Assert.Equal("0", during.Variables["BLACKLISTED"]);
        }
        Assert.False(upgrade.IsCompleted, "the upgrade finished while a call of the old version was still in flight");

        // The session in flight finishes, on the old version.
        await held.SendRawAsync("200 result=0\n");
        await held.Completion.WaitAsync(timeout.Token);
        Assert.Equal("OK", held.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("1.0.0", held.Variables["VERSIONED_VERSION"]);

        var upgraded = await PackageApi.ExpectAsync(await upgrade, HttpStatusCode.OK, "upgrade to 2.0.0");
        Assert.Equal("2.0.0", upgraded.GetProperty("data").GetProperty("version").GetString());

        // The one that arrived during the upgrade reached the new version, and so does the next.
        await arriving.Completion.WaitAsync(timeout.Token);
        Assert.Equal("OK", arriving.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("2.0.0", arriving.Variables["VERSIONED_VERSION"]);
        Assert.Equal("2.0.0", await VersionAnsweringAsync(daemon, timeout.Token));

        await stopCalling.CancelAsync();
        await calling.WaitAsync(timeout.Token);
        var failed = blackListCalls.Where(c => c.Variables.GetValueOrDefault("PBXMODULES_STATUS") != "OK" || c.Variables.GetValueOrDefault("BLACKLISTED") != "0").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {blackListCalls.Count} calls through ModuleBlackList failed, e.g. {string.Join(", ", failed.Take(3).Select(c => string.Join(";", c.Variables)))}");
    }

    private static SimulatedAgiCallOptions Options(string handler) => new() { Script = $"{Id}/{handler}", CallerId = "0912345678" };

    private static async Task<string> VersionAnsweringAsync(PbxDaemon daemon, CancellationToken cancellationToken)
    {
        var call = await CallAsync(daemon, $"{Id}/version", "0912345678", cancellationToken);
        Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);
        return call.Variables["VERSIONED_VERSION"];
    }

    /// <summary>One FastAGI call to the end of its session (ModuleBlackList's check: the route's number as its argument, here none).</summary>
    private static async Task<SimulatedAgiCall> CallAsync(PbxDaemon daemon, string script, string callerId, CancellationToken cancellationToken, params string[] arguments)
    {
        var call = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, new SimulatedAgiCallOptions { Script = script, CallerId = callerId, Arguments = arguments }, cancellationToken);
        try
        {
            await call.Completion.WaitAsync(cancellationToken);
        }
        finally
        {
            await call.DisposeAsync();
        }
        return call;
    }
}
