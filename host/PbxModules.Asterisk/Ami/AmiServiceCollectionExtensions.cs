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
