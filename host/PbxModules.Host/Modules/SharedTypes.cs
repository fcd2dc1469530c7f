using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules;

/// <summary>
/// The types whose assemblies every module shares with the host, rather than loading its own copy:
/// the SDK, and everything host and module must agree on to exchange objects (DI, logging,
/// configuration, options, EF Core and its SQLite provider, Quartz, ASP.NET Core). The plugin
/// loader also shares each one's dependencies, recursively. Anything else a module ships is
/// private to it, so two modules may carry different versions of the same library.
/// </summary>
internal static class SharedTypes
{
    public static readonly Type[] All =
    [
        typeof(IPbxModule),                                   // PbxModules.Sdk
        typeof(IServiceCollection),                           // DI abstractions
        typeof(ServiceProvider),                              // DI
        typeof(ILogger),                                      // logging abstractions
        typeof(LoggerFactory),                                // logging
        typeof(IConfiguration),                               // configuration abstractions
        typeof(ConfigurationBinder),                          // configuration binder
        typeof(IOptions<>),                                   // options
        typeof(OptionsServiceCollectionExtensions),           // options DataAnnotations lives beside
        typeof(IHostEnvironment),                             // hosting abstractions
        typeof(HttpContext),                                  // ASP.NET Core HTTP abstractions
        typeof(DbContext),                                    // EF Core
        typeof(RelationalDatabaseFacadeExtensions),           // EF Core relational
        typeof(SqliteDbContextOptionsBuilderExtensions),      // EF Core SQLite (the native library is the host's)
        typeof(Microsoft.Data.Sqlite.SqliteConnection),       // Microsoft.Data.Sqlite
        typeof(Quartz.IJob),                                  // Quartz
    ];
}
