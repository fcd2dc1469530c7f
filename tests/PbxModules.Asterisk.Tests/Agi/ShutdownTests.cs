using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>Stopping the host drains sessions through Kestrel; those that outlive the shutdown timeout are cancelled.</summary>
public class ShutdownTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_session_in_progress_finishes_while_the_host_stops()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            entered.SetResult();
            await release.Task;
            await channel.SetVariableAsync("DONE", "yes", token);
        }, host: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Safety));
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        await entered.Task.WaitAsync(Safety);

        var stopping = server.StopAsync();
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);

        Assert.Equal("yes", call.Variables["DONE"]);
    }

    [Fact]
    public async Task A_session_that_outlives_the_shutdown_timeout_is_cancelled()
    {
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                outcome.SetResult(token.IsCancellationRequested);
            }
        }, host: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200)));
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 1, Safety);

        await server.StopAsync().WaitAsync(Safety);

        Assert.True(await outcome.Task.WaitAsync(Safety));
        await call.Completion.WaitAsync(Safety);
        Assert.Empty(server.Errors());
    }
}
