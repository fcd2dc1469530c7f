using PbxModules.Host.Hosting;

// The daemon as a process: what is about the process only (--check-config, exit codes, a refused start).
// Everything it hosts is composed by Hosting/PbxHost, which the test host runs in-process too.
// The content root is the daemon's own folder, so its appsettings*.json are found wherever it is
// started from; relative Paths:* stay relative to the working directory (see PathsOptions).
// The environment is the user's choice when one is set; otherwise the launch profile's default
// (Development under `dotnet run`), otherwise Production (see DefaultEnvironment).
// `--check-config` validates the configuration as a start would, and exits (Hosting/ConfigurationCheck).
var checkConfig = ConfigurationCheck.Requested(args, out args, out var configDir);
// The check binds nothing and touches no socket (a running daemon's included); it checks Rest:Url on its own.
var builder = PbxHost.CreateBuilder(new PbxHostBuildOptions { Args = args, ContentRootPath = configDir, Listen = !checkConfig });
// The check builds the host without mapping anything: it starts nothing, and a refused option is its verdict, not a crash.
var app = checkConfig ? builder.Build() : PbxHost.Build(builder);
if (checkConfig)
{
    var rest = PbxHost.RestOptionsOf(builder.Configuration);
    return ConfigurationCheck.Run(app, () => PbxHost.ListenOn(new Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions(), rest.Url), Console.Out, Console.Error);
}
// Taken now: a host that failed to start has disposed its services by the time it throws.
var startupLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PbxModules.Host");
try
{
    await app.RunAsync();
}
catch (Exception ex) when (StartupFailure.IsConfigurationError(ex))
{
    StartupFailure.Report(startupLogger, ex);
    await app.DisposeAsync(); // flushes the console logger
    return StartupFailure.ExitCode;
}
return 0;

/// <summary>The daemon's entry point (public for the host's own tests, WebApplicationFactory).</summary>
public partial class Program;
