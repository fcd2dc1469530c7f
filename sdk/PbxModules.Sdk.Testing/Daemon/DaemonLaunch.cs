namespace PbxModules.Sdk.Testing.Daemon;

/// <summary>
/// How <see cref="PbxDaemon"/> starts the daemon: which environment variable names which environment
/// (none set when <paramref name="EnvironmentVariable"/> is null), and whether through <c>dotnet run</c>.
/// Nothing the test process inherits decides the environment: only this.
/// </summary>
/// <param name="EnvironmentVariable">
/// <c>ASPNETCORE_ENVIRONMENT</c>, <c>DOTNET_ENVIRONMENT</c> or <c>PBXMODULES_DEFAULT_ENVIRONMENT</c>;
/// null to set none (the daemon then runs in Production).
/// </param>
/// <param name="Environment">The environment's name (<c>Development</c>, <c>Production</c>, …).</param>
/// <param name="ViaDotnetRun">
/// True to start it as README does, <c>dotnet run --no-build --project …</c> (then
/// <see cref="PbxDaemonOptions.DaemonPath"/> is the project file); false to run the built assembly.
/// </param>
public sealed record DaemonLaunch(string? EnvironmentVariable, string Environment, bool ViaDotnetRun = false)
{
    /// <summary>The built daemon in Development (loopback trusted, modules folder created): what most tests use.</summary>
    public static DaemonLaunch Development { get; } = new("ASPNETCORE_ENVIRONMENT", "Development");
}
