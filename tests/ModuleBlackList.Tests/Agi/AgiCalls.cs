using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModuleBlackList.Agi;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace ModuleBlackList.Tests.Agi;

/// <summary>
/// The module's AGI handlers behind the real FastAGI server on loopback, called by the simulated Asterisk:
/// what a handler sends, and what happens to it (returned, or the exception that escaped, which the host
/// would count as the module's failure and answer with <c>PBXMODULES_STATUS=ERROR</c>).
/// </summary>
internal sealed class AgiCalls : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Exception?>> _outcomes;

    private AgiCalls(WebApplication app, ConcurrentDictionary<string, TaskCompletionSource<Exception?>> outcomes, int port)
    {
        _app = app;
        _outcomes = outcomes;
        Port = port;
    }

    public int Port { get; }

    public static async Task<AgiCalls> StartAsync(ModuleHarness module)
    {
        var outcomes = new ConcurrentDictionary<string, TaskCompletionSource<Exception?>>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAgiSessionHandler>(new Router(module.Services, outcomes));
        builder.Services.AddFastAgi(o => o.Port = 0);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFastAgi()));
        var app = builder.Build();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new AgiCalls(app, outcomes, new Uri(address).Port);
    }

    /// <summary>Runs one call through a handler (<c>check</c>, <c>add</c>, <c>remove</c>, <c>block-last</c>) and waits until the session has ended.</summary>
    public async Task<Outcome> CallAsync(string handler, SimulatedAgiCallOptions options)
    {
        using var timeout = new CancellationTokenSource(Patience);
        options.Script = $"module-black-list/{handler}";
        options.UniqueId ??= $"1796155404.{Interlocked.Increment(ref s_sequence)}";
        var outcome = _outcomes.GetOrAdd(options.UniqueId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        var call = await SimulatedAgiCall.ConnectAsync(Port, options, timeout.Token);
        try
        {
            await call.Completion.WaitAsync(timeout.Token);
            return new Outcome(call, await outcome.Task.WaitAsync(timeout.Token));
        }
        finally
        {
            await call.DisposeAsync();
        }
    }

    private static int s_sequence;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The call, and the exception that escaped the handler (null: it returned).</summary>
    internal sealed record Outcome(SimulatedAgiCall Call, Exception? Escaped)
    {
        public IReadOnlyList<string> Lines => [.. Call.Commands.Select(c => c.Line)];
    }

    private sealed class Router(IServiceProvider services, ConcurrentDictionary<string, TaskCompletionSource<Exception?>> outcomes) : IAgiSessionHandler
    {
        public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        {
            var outcome = outcomes.GetOrAdd(channel.Request.UniqueId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            IAgiHandler handler = channel.Request.Path switch
            {
                "module-black-list/check" => services.GetRequiredService<CheckHandler>(),
                "module-black-list/add" => services.GetRequiredService<AddNumberHandler>(),
                "module-black-list/remove" => services.GetRequiredService<RemoveNumberHandler>(),
                "module-black-list/block-last" => services.GetRequiredService<BlockLastCallerHandler>(),
                var other => throw new InvalidOperationException($"No handler for {other}"),
            };
            try
            {
                await handler.HandleAsync(channel, cancellationToken);
                outcome.TrySetResult(null);
            }
            catch (Exception ex)
            {
                outcome.TrySetResult(ex);
            }
        }
    }
}
