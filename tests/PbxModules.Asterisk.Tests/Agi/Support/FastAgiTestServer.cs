using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Asterisk.Agi.Server;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Agi.Support;

/// <summary>The FastAGI server on real Kestrel, on a free loopback port, with a handler given as a delegate.</summary>
public sealed class FastAgiTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FastAgiTestServer(WebApplication app, CapturingLoggerProvider logs, int port)
    {
        _app = app;
        Logs = logs;
        Port = port;
    }

    public int Port { get; }

    public CapturingLoggerProvider Logs { get; }

    public FastAgiConnectionHandler ConnectionHandler => _app.Services.GetRequiredService<FastAgiConnectionHandler>();

    /// <summary>Lines our server wrote at Information or above (the "cost" of a session).</summary>
    public IReadOnlyList<CapturingLoggerProvider.LogLine> AgiLogLines(LogLevel atLeast = LogLevel.Information)
        => [.. Logs.Lines.Where(l => l.Category == typeof(FastAgiConnectionHandler).FullName && l.Level >= atLeast)];

    /// <summary>Errors from anyone (Kestrel logs an exception escaping a connection handler as an error).</summary>
    public IReadOnlyList<CapturingLoggerProvider.LogLine> Errors()
        => [.. Logs.Lines.Where(l => l.Level >= LogLevel.Error)];

    public static async Task<FastAgiTestServer> StartAsync(
        Func<IAgiChannel, CancellationToken, Task> handler, Action<FastAgiOptions>? configure = null, Action<WebApplicationBuilder>? host = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        host?.Invoke(builder);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IAgiSessionHandler>(new DelegateSessionHandler(handler));
        builder.Services.AddFastAgi(o =>
        {
            o.Port = 0;
            configure?.Invoke(o);
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFastAgi()));
        var app = builder.Build();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new FastAgiTestServer(app, logs, new Uri(address).Port);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class DelegateSessionHandler(Func<IAgiChannel, CancellationToken, Task> handler) : IAgiSessionHandler
    {
        public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken) => handler(channel, cancellationToken);
    }
}
