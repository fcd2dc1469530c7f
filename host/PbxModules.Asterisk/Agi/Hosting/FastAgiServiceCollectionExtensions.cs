using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Server;

namespace PbxModules.Asterisk.Agi.Hosting;

/// <summary>Registers the FastAGI server's services.</summary>
public static class FastAgiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the FastAGI connection handler and <see cref="FastAgiOptions"/> (validated at start-up).
    /// The application must also register an <see cref="IAgiSessionHandler"/>, and mount the server on a
    /// Kestrel endpoint with <see cref="FastAgiListenOptionsExtensions.ListenFastAgi"/> or
    /// <see cref="FastAgiListenOptionsExtensions.UseFastAgi"/>.
    /// </summary>
    public static IServiceCollection AddFastAgi(this IServiceCollection services, Action<FastAgiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<FastAgiOptions>();
        if (configure is not null) builder.Configure(configure);
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FastAgiOptions>, FastAgiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FastAgiConnectionHandler>();
        return services;
    }

    /// <summary>As <see cref="AddFastAgi(IServiceCollection, Action{FastAgiOptions}?)"/>, binding the options from a configuration section (<c>Agi</c>).</summary>
    public static IServiceCollection AddFastAgi(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<FastAgiOptions>().Bind(section);
        return services.AddFastAgi();
    }

    /// <summary>As <see cref="AddFastAgi(IServiceCollection, Action{FastAgiOptions}?)"/>, registering <typeparamref name="THandler"/> as the singleton session handler.</summary>
    public static IServiceCollection AddFastAgi<THandler>(this IServiceCollection services, Action<FastAgiOptions>? configure = null)
        where THandler : class, IAgiSessionHandler
    {
        services.TryAddSingleton<IAgiSessionHandler, THandler>();
        return services.AddFastAgi(configure);
    }
}
