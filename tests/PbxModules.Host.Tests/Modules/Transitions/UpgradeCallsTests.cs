using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Host.Tests.Rest;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>
/// No call is lost while a module is upgraded, in the real daemon (Kestrel's FastAGI listener, the
/// simulated Asterisk) on the host's fake clock (so no drain time-out can pass by itself): a session in
/// flight finishes on the old version, one that arrives during the upgrade waits and reaches the new
/// version, calls through another module run all along, and the next call reaches the new version.
/// </summary>
public sealed class UpgradeCallsTests
{
    private const string ModuleId = "test-versioned";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Calls_during_an_upgrade_all_succeed_in_flight_on_the_old_version_and_after_it_on_the_new()
    {
        await using var host = await RestHost.StartAsync(trustLoopback: true, extraModules: ["AgiModule", "VersionedModule"]);
        using var timeout = new CancellationTokenSource(Deadline);
        var registry = host.Manager.Registry;
        Assert.Equal(ModuleState.Enabled, registry.GetModule(ModuleId)?.State);

        // In flight on 1.0.0: the handler waits for the reply to its NOOP, which the test holds back.
        await using var held = await SimulatedAgiCall.ConnectAsync(host.AgiPort, Options("hold").Reply("NOOP", SimulatedAgiReply.NoAnswer));
        await held.WaitForCommandAsync(c => c.Name == "NOOP", timeout.Token);

        // The upgrade starts: the module is marked upgrading before its old version stops, then the drain waits for the held session.
        var marked = WhenUpgradingAsync(registry, timeout.Token);
        var package = new FolderModulePackage(host.Root, "VersionedModule", version: "2.0.0");
        var upgrade = Task.Run(() => host.Services.GetRequiredService<IModuleInstallTransitions>().UpgradeAsync(ModuleId, package, allowDowngrade: false, timeout.Token));
        await marked;

        // A call that arrives now waits for the new version; calls through another module are served at once.
        await using var arriving = await SimulatedAgiCall.ConnectAsync(host.AgiPort, Options("version"));
        for (var i = 0; i < 3; i++)
        {
            await using var other = await SimulatedAgiCall.ConnectAsync(host.AgiPort, new SimulatedAgiCallOptions { Script = "test-agi/ok", CallerId = "0912345678" });
            await other.Completion.WaitAsync(timeout.Token);
            Assert.Equal("OK", other.Variables["PBXMODULES_STATUS"]);
        }
        // The held session keeps the old version from stopping: nothing of the upgrade could have finished yet.
        Assert.False(upgrade.IsCompleted);

        // The session in flight finishes, on the old version.
        await held.SendRawAsync("200 result=0\n");
        await held.Completion.WaitAsync(timeout.Token);
        Assert.Equal("OK", held.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("1.0.0", held.Variables["VERSIONED_VERSION"]);

        var result = await upgrade;
        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        Assert.False(registry.IsUpgrading(ModuleId));

        // The one that arrived during the upgrade reached the new version, and so does the next.
        await arriving.Completion.WaitAsync(timeout.Token);
        Assert.Equal("OK", arriving.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("2.0.0", arriving.Variables["VERSIONED_VERSION"]);
        await using var next = await SimulatedAgiCall.ConnectAsync(host.AgiPort, Options("version"));
        await next.Completion.WaitAsync(timeout.Token);
        Assert.Equal("OK", next.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("2.0.0", next.Variables["VERSIONED_VERSION"]);
    }

    [Fact]
    public async Task A_call_waiting_on_a_failed_upgrade_is_served_by_the_old_version_put_back()
    {
        await using var host = await RestHost.StartAsync(trustLoopback: true, extraModules: ["VersionedModule"]);
        using var timeout = new CancellationTokenSource(Deadline);
        var registry = host.Manager.Registry;
        await using var held = await SimulatedAgiCall.ConnectAsync(host.AgiPort, Options("hold").Reply("NOOP", SimulatedAgiReply.NoAnswer));
        await held.WaitForCommandAsync(c => c.Name == "NOOP", timeout.Token);

        var marked = WhenUpgradingAsync(registry, timeout.Token);
        var broken = new FolderModulePackage(host.Root, "VersionedModule", version: "2.0.0", arrange: f => FolderModulePackage.Corrupt(f, "VersionedModule.dll"));
        var upgrade = Task.Run(() => host.Services.GetRequiredService<IModuleInstallTransitions>().UpgradeAsync(ModuleId, broken, allowDowngrade: false, timeout.Token));
        await marked;
        await using var arriving = await SimulatedAgiCall.ConnectAsync(host.AgiPort, Options("version"));
        await held.SendRawAsync("200 result=0\n");

        var result = await upgrade;
        Assert.True(result.Status == ModuleOperationStatus.Failed, $"{result.Status}: {result.Message} {string.Join(Environment.NewLine, host.Logs)}");
        Assert.EndsWith("Version 1.0.0 and its data were put back and it is serving again.", result.Message, StringComparison.Ordinal);
        await arriving.Completion.WaitAsync(timeout.Token);
        Assert.Equal("OK", arriving.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("1.0.0", arriving.Variables["VERSIONED_VERSION"]);
    }

    private static SimulatedAgiCallOptions Options(string handler) => new() { Script = $"{ModuleId}/{handler}", CallerId = "0912345678" };

    /// <summary>Completes when the registry says the module is being upgraded: woken by its change token, never by polling.</summary>
    private static async Task WhenUpgradingAsync(IModuleRegistry registry, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (registry.GetChangeToken().RegisterChangeCallback(static s => ((TaskCompletionSource)s!).TrySetResult(), changed))
            {
                if (registry.IsUpgrading(ModuleId)) return;
                await changed.Task.WaitAsync(cancellationToken);
            }
        }
    }
}
