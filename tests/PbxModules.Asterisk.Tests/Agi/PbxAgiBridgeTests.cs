using System.Diagnostics;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>packaging/agi-bin/pbx-agi run as the real process Asterisk would start, bridged to the real server.</summary>
public class PbxAgiBridgeTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static Process StartBridge(int port, params string[] args) => StartBridge(port, launcher: null, args);

    // launcher: a program that starts bash (e.g. nohup), to run the bridge as a differently-set-up parent would.
    private static Process StartBridge(int port, string? launcher, params string[] args)
    {
        var script = Path.Combine(Fixtures.RepositoryRoot(), "packaging", "agi-bin", "pbx-agi");
        var info = new ProcessStartInfo(launcher ?? "/bin/bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (launcher is not null) info.ArgumentList.Add("/bin/bash");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PBX_AGI_PORT"] = port.ToString();
        return Process.Start(info)!;
    }

    [Fact]
    public async Task A_process_agi_reaches_the_same_handler_through_the_bridge()
    {
        var seen = new TaskCompletionSource<AgiRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            seen.SetResult(channel.Request);
            var number = await channel.GetVariableAsync("CALLERID(num)", token);
            await channel.SetVariableAsync("BLACKLISTED", number == "0912345678" ? "1" : "0", token);
            await channel.SetVariableAsync("NOTE", "spaces and \"quotes\"", token);
        });
        using var bridge = StartBridge(server.Port);
        var stderr = bridge.StandardError.ReadToEndAsync();

        await using var call = await SimulatedAgiCall.StartProcessAgiAsync(bridge, new SimulatedAgiCallOptions
        {
            CallerId = "0912345678",
            Script = "module-black-list/check?mode=strict",
            Arguments = ["a b", ""],
        });
        await call.Completion.WaitAsync(Safety);
        await bridge.WaitForExitAsync().WaitAsync(Safety);

        Assert.Equal(0, bridge.ExitCode);
        Assert.Equal(string.Empty, await stderr);
        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal("spaces and \"quotes\"", call.Variables["NOTE"]);
        var request = await seen.Task.WaitAsync(Safety);
        Assert.False(request.IsNetwork);
        Assert.Equal("pbx-agi", request.Get("agi_request"));
        Assert.Equal("module-black-list/check", request.Path);
        Assert.Equal("strict", request.Query["mode"]);
        Assert.Equal(["a b", ""], request.Arguments);
        Assert.Empty(server.AgiLogLines());
    }

    [Fact]
    public Task Sighup_from_asterisk_becomes_a_hangup_for_the_handler() => SighupBecomesHangupAsync(launcher: null);

    // bash cannot trap a signal ignored at its start, and the disposition survives exec: a test host or CI
    // runner under nohup made the test above time out. The bridge must reset it rather than rely on its parent.
    [Fact]
    public Task Sighup_becomes_a_hangup_even_when_the_bridge_starts_with_sighup_ignored() => SighupBecomesHangupAsync(launcher: "/usr/bin/nohup");

    private static async Task SighupBecomesHangupAsync(string? launcher)
    {
        var outcome = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            try
            {
                // The SIGHUP may overtake this reply (two paths into the bridge), so ANSWER itself may
                // already see the hang-up.
                await channel.AnswerAsync(token);
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
            }
            var ex = await Assert.ThrowsAsync<AgiHangupException>(() => channel.NoopAsync(CancellationToken.None));
            outcome.SetResult(ex.Message);
        });
        using var bridge = StartBridge(server.Port, launcher);
        var stderr = bridge.StandardError.ReadToEndAsync();
        await using var call = await SimulatedAgiCall.StartProcessAgiAsync(bridge, new SimulatedAgiCallOptions());
        await call.WaitForCommandAsync(c => c.Name == "ANSWER").WaitAsync(Safety);

        await call.HangUpAsync(); // SIGHUP, as res_agi does for a process AGI

        Assert.Equal("AGI command 'NOOP' was not sent: the caller hung up (Asterisk sent HANGUP).", await outcome.Task.WaitAsync(Safety));
        await call.Completion.WaitAsync(Safety);
        await bridge.WaitForExitAsync().WaitAsync(Safety);
        Assert.Equal(0, bridge.ExitCode);
        Assert.Equal(string.Empty, await stderr);
    }

    [Fact]
    public async Task The_bridge_fails_cleanly_when_the_server_is_down()
    {
        // A port nobody listens on: take a free one from a server and stop it.
        int port;
        await using (var server = await FastAgiTestServer.StartAsync((_, _) => Task.CompletedTask)) port = server.Port;
        using var bridge = StartBridge(port);
        bridge.StandardInput.Close();
        await bridge.WaitForExitAsync().WaitAsync(Safety);
        Assert.Equal(1, bridge.ExitCode);
        Assert.Contains("cannot connect to the FastAGI server", await bridge.StandardError.ReadToEndAsync());
    }
}
