namespace PbxModules.Host.Hosting;

/// <summary>What <see cref="PbxHost.CreateBuilder"/> is told about the process that hosts the daemon.</summary>
public sealed class PbxHostBuildOptions
{
    /// <summary>Command-line arguments (configuration overrides such as <c>--Rest:Url=…</c>).</summary>
    public string[] Args { get; init; } = [];

    /// <summary>Where appsettings*.json are read; null: the daemon's own folder (<see cref="AppContext.BaseDirectory"/>).</summary>
    public string? ContentRootPath { get; init; }

    /// <summary>The environment; null: the daemon's rule (the user's choice, else the launch profile's default, else Production).</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>
    /// False to configure no listener at all (the configuration check binds nothing and touches no socket).
    /// </summary>
    public bool Listen { get; init; } = true;

    /// <summary>
    /// Configuration given in memory, over every other source (files, environment, arguments): an in-process
    /// host (the test host) configures the daemon without files.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }
}
