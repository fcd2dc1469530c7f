using PbxModules.Sdk.Testing.Agi;

namespace ModuleBlackList.Tests.Agi;

/// <summary>
/// Calls to the module's AGI handlers through the host's real FastAGI listener and router, placed by the simulated
/// Asterisk: what a handler sends, and how it ended (the host's <c>PBXMODULES_STATUS</c>: OK when it returned; otherwise
/// the module failed the call, and the host said why in a VERBOSE line).
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
        await using var call = await SimulatedAgiCall.ConnectAsync(module.Host.AgiPort, options, timeout.Token);
        await call.Completion.WaitAsync(timeout.Token);
        return new Outcome(call);
    }

    /// <summary>The call; <see cref="Escaped"/> is null when the handler returned, else the host's status and reason.</summary>
    internal sealed record Outcome(SimulatedAgiCall Call)
    {
        private const string StatusCommand = "SET VARIABLE PBXMODULES_STATUS";

        /// <summary>The handler's commands: the host's closing status (and the VERBOSE line saying why, after a failure) left out.</summary>
        public IReadOnlyList<string> Lines
        {
            get
            {
                var lines = Call.Commands.Select(c => c.Line).ToList();
                if (lines.Count > 0 && lines[^1].StartsWith(StatusCommand, StringComparison.Ordinal)) lines.RemoveAt(lines.Count - 1);
                if (Escaped is not null && lines.Count > 0 && lines[^1].StartsWith("VERBOSE", StringComparison.Ordinal)) lines.RemoveAt(lines.Count - 1);
                return lines;
            }
        }

        public string? Escaped
        {
            get
            {
                var status = Call.Variables.GetValueOrDefault("PBXMODULES_STATUS");
                if (status == "OK") return null;
                var why = Call.Commands.LastOrDefault(c => c.Line.StartsWith("VERBOSE", StringComparison.Ordinal))?.Line;
                return $"PBXMODULES_STATUS={status ?? "(not set)"}: {why}";
            }
        }
    }
}
