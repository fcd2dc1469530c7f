namespace PbxModules.Sdk.Testing.Daemon;

/// <summary>What <see cref="PbxDaemon.StartAsync"/> starts: which daemon, with which modules and settings.</summary>
public sealed class PbxDaemonOptions
{
    /// <summary>
    /// The daemon's built assembly (<c>PbxModules.Host.dll</c>), run as <c>dotnet &lt;path&gt;</c>; with
    /// <see cref="DaemonLaunch.ViaDotnetRun"/>, its project file (<c>PbxModules.Host.csproj</c>).
    /// </summary>
    public required string DaemonPath { get; init; }

    /// <summary>The build configuration for <c>dotnet run -c</c> (with <see cref="DaemonLaunch.ViaDotnetRun"/> only). Default <c>Debug</c>.</summary>
    public string Configuration { get; init; } = "Debug";

    /// <summary>
    /// The daemon's working directory: its relative defaults (<c>./var/data</c>, <c>./var/modules</c>) land
    /// here. Null: a new temporary directory, which <see cref="PbxDaemon.Root"/> names.
    /// </summary>
    public string? Root { get; init; }

    /// <summary>The modules folder (<c>Paths:Modules</c>), e.g. the build output of your module; null for the daemon's default.</summary>
    public string? ModulesFolder { get; init; }

    /// <summary>Configuration overrides, passed as <c>--Key=Value</c> after everything this class sets (so they win).</summary>
    public IDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Environment variables set for the daemon's process, after this class has set its own (so they win),
    /// e.g. <c>PBXMODULES_FAULT_INJECTION=1</c> for a crash test. The environment's name is <see cref="Launch"/>'s.
    /// </summary>
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The REST port (<c>Rest:Url</c> on 127.0.0.1). Null: a free port, picked again when another process takes it first.</summary>
    public int? RestPort { get; init; }

    /// <summary>The FastAGI port (<c>Agi:Port</c>). Null: a free port, as <see cref="RestPort"/>.</summary>
    public int? AgiPort { get; init; }

    /// <summary>The AMI port the daemon connects to (<c>Ami:Port</c>): a simulated Asterisk's. Null: a free port where nothing listens, never a real 5038.</summary>
    public int? AmiPort { get; init; }

    /// <summary>The environment and how the daemon is started. Default <see cref="DaemonLaunch.Development"/>.</summary>
    public DaemonLaunch Launch { get; init; } = DaemonLaunch.Development;

    /// <summary>How long the start may take until the daemon is ready. Default 90 s (a loaded machine starts slowly).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// True to count any answer of <c>/healthz</c> as ready, 503 (Unhealthy) included: for a run that
    /// needs the process up, not healthy. Default false: ready means <c>/healthz</c> answers 2xx.
    /// </summary>
    public bool ReadyWhenUnhealthy { get; init; }

    /// <summary>Also wait, after <c>/healthz</c>, until the daemon has written a line containing this (e.g. a module's "loaded" log line). Null: no such wait.</summary>
    public string? ReadyOutput { get; init; }

    /// <summary>The most output lines kept (the oldest go first), for long runs; null keeps every line.</summary>
    public int? MaxOutputLines { get; init; }

    /// <summary>These options on another root and ports (what <see cref="PbxDaemon.RestartAsync"/> starts).</summary>
    internal PbxDaemonOptions On(string root, int restPort, int agiPort, int amiPort) => new()
    {
        DaemonPath = DaemonPath,
        Configuration = Configuration,
        Root = root,
        ModulesFolder = ModulesFolder,
        Settings = Settings,
        Environment = Environment,
        RestPort = restPort,
        AgiPort = agiPort,
        AmiPort = amiPort,
        Launch = Launch,
        StartTimeout = StartTimeout,
        ReadyWhenUnhealthy = ReadyWhenUnhealthy,
        ReadyOutput = ReadyOutput,
        MaxOutputLines = MaxOutputLines,
    };
}
