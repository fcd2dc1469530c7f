using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace ModuleBlackList.Tests.Agi;

/// <summary>
/// Calls to the module's AGI handlers through the host's real FastAGI listener and router, placed by the simulated
/// Asterisk: what a handler sends, and what happened to it (returned, or the exception that escaped, which the host
/// counts as the module's failure and answers with <c>PBXMODULES_STATUS=ERROR</c>), as the host's router saw it.
/// </summary>
internal sealed class AgiCalls(BlackListHost module)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static int s_sequence;

    /// <summary>Runs one call through a handler (<c>check</c>, <c>add</c>, <c>remove</c>, <c>block-last</c>) and waits until the session has ended.</summary>
    public async Task<Outcome> CallAsync(string handler, SimulatedAgiCallOptions options)
    {
        using var timeout = new CancellationTokenSource(Patience);
        options.UniqueId ??= $"1796155404.{Interlocked.Increment(ref s_sequence)}";
        // The tests' options as they are (sounds, answers, hang-ups): the route is what PlaceCallAsync would set.
        options.Script = $"{BlackListHost.ModuleId}/{handler}";
        var uniqueId = options.UniqueId;
        var ended = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(PbxModules.Sdk.Agi.AgiRequest request, Exception? escaped)
        {
            if (request.UniqueId == uniqueId) ended.TrySetResult(escaped);
        }
        var dispatch = module.Host.Services.GetRequiredService<AgiHandlerDispatch>();
        dispatch.Ended += OnEnded;
        try
        {
            await using var call = await SimulatedAgiCall.ConnectAsync(module.Host.AgiPort, options, timeout.Token);
            await call.Completion.WaitAsync(timeout.Token);
            return new Outcome(call, await ended.Task.WaitAsync(timeout.Token));
        }
        finally
        {
            dispatch.Ended -= OnEnded;
        }
    }

    /// <summary>The call, and the exception that escaped the handler (null: it returned).</summary>
    internal sealed record Outcome(SimulatedAgiCall Call, Exception? Escaped)
    {
        /// <summary>The handler's commands: the router's closing status (and the VERBOSE line saying why, after a failure) left out.</summary>
        public IReadOnlyList<string> Lines
        {
            get
            {
                var lines = Call.Commands.Select(c => c.Line).ToList();
                if (lines.Count > 0 && lines[^1].StartsWith("SET VARIABLE PBXMODULES_STATUS", StringComparison.Ordinal))
                {
                    lines.RemoveAt(lines.Count - 1);
                    if (Escaped is not null && lines.Count > 0 && lines[^1].StartsWith("VERBOSE", StringComparison.Ordinal)) lines.RemoveAt(lines.Count - 1);
                }
                return lines;
            }
        }
    }
}
