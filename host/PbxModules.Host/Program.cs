using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Host.Agi;
using PbxModules.Host.Ami;
using PbxModules.Host.Configuration;
using PbxModules.Host.Dialplan;
using PbxModules.Host.Health;
using PbxModules.Host.Hosting;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Feeds;
using PbxModules.Host.Packages.Installing;
using PbxModules.Host.Rest;
using PbxModules.Host.Rest.UnixSocket;
using PbxModules.Host.Scheduling;
using PbxModules.Host.Supervision;

// The content root is the daemon's own folder, so its appsettings*.json are found wherever it is
// started from; relative Paths:* stay relative to the working directory (see PathsOptions).
// The environment is the user's choice when one is set; otherwise the launch profile's default
// (Development under `dotnet run`), otherwise Production (see DefaultEnvironment).
// `--check-config` validates the configuration as a start would, and exits (Hosting/ConfigurationCheck).
var checkConfig = ConfigurationCheck.Requested(args, out args, out var configDir);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = configDir ?? AppContext.BaseDirectory,
    EnvironmentName = DefaultEnvironment.Resolve(args),
});

// Under systemd: Type=notify readiness and journald-friendly log lines. Elsewhere: no effect.
builder.Services.AddSystemd();
// AddSystemd registers the notifier only under systemd; the watchdog needs one everywhere (it is a no-op outside).
builder.Services.TryAddSingleton<Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier, Microsoft.Extensions.Hosting.Systemd.SystemdNotifier>();
builder.Services.AddHostedService<SystemdWatchdog>();

builder.Services.AddOptions<PathsOptions>().Bind(builder.Configuration.GetSection(PathsOptions.SectionName)).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<PathsOptions>, PathsValidator>();
builder.Services.AddPbxDataProtection();
builder.Services.AddOptions<RestOptions>().Bind(builder.Configuration.GetSection(RestOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
builder.Services.AddPbxModules(builder.Configuration);
builder.Services.AddPbxPackages(builder.Configuration);
builder.Services.AddPbxModuleFeeds();
builder.Services.AddPbxModuleInstalling();
builder.Services.AddPbxScheduling();
builder.Services.AddPbxDialplan(builder.Configuration);
builder.Services.AddPbxSupervision(builder.Configuration);
builder.Services.AddPbxAmi(builder.Configuration);
builder.Services.AddPbxAgi(builder.Configuration);
builder.Services.AddPbxHealthChecks();
builder.Services.AddPbxRest(builder.Configuration);

var rest = builder.Configuration.GetSection(RestOptions.SectionName).Get<RestOptions>() ?? new RestOptions();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // The check binds nothing and touches no socket (a running daemon's included); it checks Rest:Url on its own.
    if (checkConfig) return;
    // The local CLI's way in (REST only, not FastAGI): its callers are administrators (Auth/UnixSocketAuthenticationHandler).
    // Bound first: Kestrel serves each endpoint as soon as it is bound, so a client that saw the TCP port
    // answer (a supervisor, a test waiting on /healthz) must find the socket already there.
    var paths = builder.Configuration.GetSection(PathsOptions.SectionName).Get<PathsOptions>() ?? new PathsOptions();
    if (!OperatingSystem.IsWindows() && RestUnixSocket.PathOf(rest, paths) is { } socket) RestUnixSocket.Listen(kestrel, socket);
    ListenOn(kestrel, rest.Url);
    // The default for every request; endpoints that take more (or less) say so in their metadata.
    kestrel.Limits.MaxRequestBodySize = rest.MaxJsonBodyBytes;
    kestrel.ListenFastAgi();
});

var app = builder.Build();
if (checkConfig)
    return ConfigurationCheck.Run(app, () => ListenOn(new Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions(), rest.Url), Console.Out, Console.Error);
app.UsePbxRest();
app.MapPbxHealth();
app.MapPbxRest().MapDialplanEndpoints();
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

// Kestrel is given explicit endpoints (REST and FastAGI) instead of URLs, so that every
// listener is configured in one place and nothing binds beyond what is configured.
static void ListenOn(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, string url)
{
    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        throw new InvalidOperationException($"Rest:Url '{url}' must be an absolute http:// URL such as http://127.0.0.1:8090.");
    if (uri.Host is "localhost") kestrel.ListenLocalhost(uri.Port);
    else if (IPAddress.TryParse(uri.Host, out var address)) kestrel.Listen(address, uri.Port);
    else throw new InvalidOperationException($"Rest:Url host '{uri.Host}' must be an IP address or 'localhost'.");
}

/// <summary>The daemon's entry point (public for the test host).</summary>
public partial class Program;
