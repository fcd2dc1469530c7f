using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Host.Agi;
using PbxModules.Host.Ami;
using PbxModules.Host.Configuration;
using PbxModules.Host.Dialplan;
using PbxModules.Host.Health;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Feeds;
using PbxModules.Host.Packages.Installing;
using PbxModules.Host.Rest;
using PbxModules.Host.Rest.UnixSocket;
using PbxModules.Host.Scheduling;
using PbxModules.Host.Supervision;

namespace PbxModules.Host.Hosting;

/// <summary>
/// The daemon's composition (services, Kestrel listeners, middleware, endpoints) in one place, so that the
/// daemon's Program and an in-process host (PbxModules.Sdk.Testing's test host) run exactly the same host.
/// <see cref="CreateBuilder"/> composes the services; the caller may still replace some (a clock, a logger
/// provider) before <see cref="Build"/> builds the application and maps its endpoints.
/// </summary>
public static class PbxHost
{
    /// <summary>A builder with every service of the daemon and its listeners (REST and FastAGI, from configuration).</summary>
    public static WebApplicationBuilder CreateBuilder(PbxHostBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            ContentRootPath = options.ContentRootPath ?? AppContext.BaseDirectory,
            EnvironmentName = options.EnvironmentName ?? DefaultEnvironment.Resolve(options.Args),
        });
        if (options.Settings is { } settings) builder.Configuration.AddInMemoryCollection(settings);
        AddServices(builder.Services, builder.Configuration);
        if (options.Listen) builder.WebHost.ConfigureKestrel(kestrel => ConfigureListeners(kestrel, builder.Configuration));
        return builder;
    }

    /// <summary>Builds the application and maps the daemon's middleware and endpoints; it is not started.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UsePbxRest();
        app.MapPbxHealth();
        app.MapPbxRest().MapDialplanEndpoints();
        return app;
    }

    /// <summary>
    /// Gives Kestrel the endpoint of <paramref name="url"/> (Rest:Url). Kestrel is given explicit endpoints (REST
    /// and FastAGI) instead of URLs, so that every listener is configured in one place and nothing binds beyond what is configured.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="url"/> is not an http:// URL on an IP address or localhost.</exception>
    public static void ListenOn(KestrelServerOptions kestrel, string url)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new InvalidOperationException($"Rest:Url '{url}' must be an absolute http:// URL such as http://127.0.0.1:8090.");
        if (uri.Host is "localhost") kestrel.ListenLocalhost(uri.Port);
        else if (IPAddress.TryParse(uri.Host, out var address)) kestrel.Listen(address, uri.Port);
        else throw new InvalidOperationException($"Rest:Url host '{uri.Host}' must be an IP address or 'localhost'.");
    }

    /// <summary>The REST options as configured (for the configuration check, which binds nothing).</summary>
    public static RestOptions RestOptionsOf(IConfiguration configuration)
        => configuration.GetSection(RestOptions.SectionName).Get<RestOptions>() ?? new RestOptions();

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Under systemd: Type=notify readiness and journald-friendly log lines. Elsewhere: no effect.
        services.AddSystemd();
        // AddSystemd registers the notifier only under systemd; the watchdog needs one everywhere (it is a no-op outside).
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddHostedService<SystemdWatchdog>();

        services.AddOptions<PathsOptions>().Bind(configuration.GetSection(PathsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PathsOptions>, PathsValidator>();
        services.AddPbxDataProtection();
        services.AddOptions<RestOptions>().Bind(configuration.GetSection(RestOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        // The one clock of the host and of every module's container (Modules/ModuleLoader): replace it here to move time in a test.
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddPbxModules(configuration);
        services.AddPbxPackages(configuration);
        services.AddPbxModuleFeeds();
        services.AddPbxModuleInstalling();
        services.AddPbxScheduling();
        services.AddPbxDialplan(configuration);
        services.AddPbxSupervision(configuration);
        services.AddPbxAmi(configuration);
        services.AddPbxAgi(configuration);
        services.AddPbxHealthChecks();
        services.AddPbxRest(configuration);
    }

    private static void ConfigureListeners(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        // Read when Kestrel starts, not when the builder is made: configuration added after CreateBuilder counts.
        var rest = RestOptionsOf(configuration);
        // The local CLI's way in (REST only, not FastAGI): its callers are administrators (Auth/UnixSocketAuthenticationHandler).
        // Bound first: Kestrel serves each endpoint as soon as it is bound, so a client that saw the TCP port
        // answer (a supervisor, a test waiting on /healthz) must find the socket already there.
        var paths = configuration.GetSection(PathsOptions.SectionName).Get<PathsOptions>() ?? new PathsOptions();
        if (!OperatingSystem.IsWindows() && RestUnixSocket.PathOf(rest, paths) is { } socket) RestUnixSocket.Listen(kestrel, socket);
        ListenOn(kestrel, rest.Url);
        // The default for every request; endpoints that take more (or less) say so in their metadata.
        kestrel.Limits.MaxRequestBodySize = rest.MaxJsonBodyBytes;
        kestrel.ListenFastAgi();
    }
}
