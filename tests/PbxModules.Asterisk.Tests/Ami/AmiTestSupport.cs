using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Testing.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

internal static class AmiTestSupport
{
    /// <summary>A safety limit only: tests wait for events, this just stops a broken test from hanging the run.</summary>
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    public static AmiClientOptions TcpOptions(SimulatedAmiServer server) => new()
    {
        Transport = AmiTransport.Tcp,
        Host = "127.0.0.1",
        Port = server.Port,
        Username = "admin",
        Secret = "admin-secret",
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        ActionTimeout = Safety,
    };

    public static async Task<SimulatedAmiServer> StartServerAsync(SimulatedAmiServerOptions? options = null)
    {
        var server = new SimulatedAmiServer(options ?? new SimulatedAmiServerOptions { FailedLoginDelay = TimeSpan.FromMilliseconds(50) });
        await server.StartAsync();
        return server;
    }

    public static async Task<AmiClient> StartClientAsync(AmiClientOptions options, TestLogger? logger = null)
    {
        var client = new AmiClient(options, logger);
        await client.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(Safety);
        return client;
    }

    /// <summary>Waits for the client's next transition into <paramref name="state"/>.</summary>
    public static Task<AmiConnectionStateChangedEventArgs> NextStateAsync(AmiClient client, AmiConnectionState state, Func<AmiConnectionStateChangedEventArgs, bool>? condition = null)
    {
        var tcs = new TaskCompletionSource<AmiConnectionStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object? sender, AmiConnectionStateChangedEventArgs e)
        {
            if (e.Current != state || (condition is not null && !condition(e))) return;
            client.StateChanged -= Handler;
            tcs.TrySetResult(e);
        }

        client.StateChanged += Handler;
        return tcs.Task.WaitAsync(Safety);
    }
}
