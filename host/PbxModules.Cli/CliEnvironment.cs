namespace PbxModules.Cli;

/// <summary>What the CLI reads from its surroundings: environment variables (tests pass their own, so no process-wide state is shared).</summary>
/// <param name="Variable">Reads an environment variable; null when unset.</param>
public sealed record CliEnvironment(Func<string, string?> Variable)
{
    /// <summary>The API key sent with <c>--url</c> (header <c>X-Api-Key</c>).</summary>
    public const string ApiKeyVariable = "PBX_MODULES_API_KEY";

    /// <summary>The socket used when <c>--socket</c> is not given (e.g. <c>/var/lib/pbx-modules/data/pbx-modules.sock</c> on an installed system).</summary>
    public const string SocketVariable = "PBX_MODULES_SOCKET";

    /// <summary>The daemon assembly <c>config check</c> runs when <c>--daemon</c> is not given.</summary>
    public const string DaemonVariable = "PBX_MODULES_DAEMON";

    /// <summary>The process's own environment.</summary>
    public static CliEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>The variable's value, or null when it is unset or blank.</summary>
    public string? Get(string name) => Variable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
