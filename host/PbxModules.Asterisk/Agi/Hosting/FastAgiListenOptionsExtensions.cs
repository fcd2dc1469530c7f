using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Server;

namespace PbxModules.Asterisk.Agi.Hosting;

/// <summary>Mounts the FastAGI server on Kestrel endpoints.</summary>
public static class FastAgiListenOptionsExtensions
{
    /// <summary>Serves FastAGI on this endpoint (instead of HTTP). Requires <see cref="FastAgiServiceCollectionExtensions.AddFastAgi(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{FastAgiOptions}?)"/>.</summary>
    public static ListenOptions UseFastAgi(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.UseConnectionHandler<FastAgiConnectionHandler>();
        return listenOptions;
    }

    /// <summary>
    /// Adds a Kestrel endpoint serving FastAGI on <see cref="FastAgiOptions.Address"/>:<see cref="FastAgiOptions.Port"/>
    /// (default 127.0.0.1:4573), read from the application's options.
    /// </summary>
    public static KestrelServerOptions ListenFastAgi(this KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var options = kestrel.ApplicationServices.GetRequiredService<IOptions<FastAgiOptions>>().Value;
        kestrel.Listen(options.GetIPAddress(), options.Port, listen => listen.UseFastAgi());
        return kestrel;
    }
}
