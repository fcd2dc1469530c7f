using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Testing.Ami;

namespace PbxModules.Host.Tests.Ami;

/// <summary>The simulated Asterisk on a loopback port and the host's AMI client logged in to it.</summary>
internal sealed class LoopbackAmi : IAsyncDisposable
{
    private LoopbackAmi(SimulatedAmiServer server, AmiClient client)
    {
        Server = server;
        Client = client;
    }

    public SimulatedAmiServer Server { get; }

    public AmiClient Client { get; }

    /// <summary>Starts both and waits (bounded) until the client is connected. No keepalive: on a fake clock only the test moves time.</summary>
    public static async Task<LoopbackAmi> StartAsync(ILogger logger, TimeProvider time)
    {
        var server = new SimulatedAmiServer();
        await server.StartAsync();
        var client = new AmiClient(new AmiClientOptions
        {
            Port = server.Port,
            Username = "admin",
            Secret = "admin-secret",
            KeepAliveInterval = TimeSpan.Zero,
        }, logger, time);
        await client.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new LoopbackAmi(server, client);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
