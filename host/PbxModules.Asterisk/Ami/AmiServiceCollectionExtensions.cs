using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>Registers the AMI client.</summary>
public static class AmiServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="AmiClient"/> (also as <see cref="IAmiClient"/>), its options bound from
    /// <paramref name="configuration"/> (normally the <c>Ami</c> section) and validated at start, and a
    /// hosted service that starts it with the host and logs off when the host stops. The transport
    /// (<c>Tcp</c> or <c>Http</c>) comes from <see cref="AmiClientOptions.Transport"/>.
    /// </summary>
    public static IServiceCollection AddAmiClient(this IServiceCollection services, IConfiguration configuration, Action<AmiClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AmiClientOptions>().Bind(configuration);
        return services.AddAmiClient(configure);
    }

    /// <summary>Registers the AMI client with options set in code (see the other overload).</summary>
    public static IServiceCollection AddAmiClient(this IServiceCollection services, Action<AmiClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AmiClientOptions>();
        if (configure is not null) options.Configure(configure);
        options.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AmiClientOptions>, AmiClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AmiClient>();
        services.TryAddSingleton<IAmiClient>(sp => sp.GetRequiredService<AmiClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AmiClientHostedService>());
        return services;
    }
}

/// <summary>Starts the <see cref="AmiClient"/> with the host (it connects in the background) and stops it with the host.</summary>
internal sealed class AmiClientHostedService(AmiClient client) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => client.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => client.StopAsync(cancellationToken);
}

/// <summary>Checks the relations between AMI options that attributes cannot express.</summary>
internal sealed class AmiClientOptionsValidator : IValidateOptions<AmiClientOptions>
{
    public ValidateOptionsResult Validate(string? name, AmiClientOptions options)
    {
        var errors = new List<string>();
        if (options.Transport == AmiTransport.Http && !options.HttpUrl.IsAbsoluteUri)
            errors.Add("Ami:HttpUrl must be an absolute URL such as http://127.0.0.1:8088/asterisk/.");
        if (options.ActionTimeout <= TimeSpan.Zero) errors.Add("Ami:ActionTimeout must be positive.");
        if (options.ConnectTimeout <= TimeSpan.Zero) errors.Add("Ami:ConnectTimeout must be positive.");
        if (options.ReconnectMinDelay <= TimeSpan.Zero) errors.Add("Ami:ReconnectMinDelay must be positive.");
        if (options.ReconnectMaxDelay < options.ReconnectMinDelay) errors.Add("Ami:ReconnectMaxDelay must not be below Ami:ReconnectMinDelay.");
        if (options.SubscriberDropWindow <= TimeSpan.Zero) errors.Add("Ami:SubscriberDropWindow must be positive.");
        if (options.SubscriberDropWarningInterval <= TimeSpan.Zero) errors.Add("Ami:SubscriberDropWarningInterval must be positive.");
        if (options.KeepAliveInterval > TimeSpan.Zero && options.KeepAliveTimeout <= TimeSpan.Zero) errors.Add("Ami:KeepAliveTimeout must be positive.");
        if (options.Transport == AmiTransport.Http && options.HttpAuthentication == AmiHttpAuthentication.Cookie
            && options.HttpEventWaitTimeout >= TimeSpan.FromSeconds(60))
            errors.Add("Ami:HttpEventWaitTimeout must be under 60 s: Asterisk's session cookie expires after 60 s without a request.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
