using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Data;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Rest;
using PbxModules.Sdk.Scheduling;
using Quartz;

namespace PbxModules.Sdk.Modules;

/// <summary>
/// The helpers a module calls in <see cref="IPbxModule.ConfigureServices"/> to contribute to each
/// surface. Each registers the class in the module's container and records, for the host, what
/// it contributes; the host wires the surfaces from that record when the module is enabled.
/// </summary>
public static partial class ModuleServiceCollectionExtensions
{
    /// <summary>Registers an AGI handler; its route comes from its <see cref="AgiHandlerAttribute"/>.</summary>
    public static IServiceCollection AddAgiHandler<THandler>(this IServiceCollection services)
        where THandler : class, IAgiHandler
    {
        var attribute = typeof(THandler).GetCustomAttribute<AgiHandlerAttribute>()
            ?? throw new InvalidOperationException($"{typeof(THandler).FullName} needs an [AgiHandler(\"name\")] attribute to have a route.");
        if (!RouteName().IsMatch(attribute.Name))
            throw new InvalidOperationException($"AGI route '{attribute.Name}' of {typeof(THandler).FullName} must be lower-case letters, digits and dashes.");
        if (services.Any(d => d.ServiceType == typeof(ModuleContribution) && d.ImplementationInstance is ModuleContribution { Kind: ContributionKind.AgiHandler } c && c.Name == attribute.Name))
            throw new InvalidOperationException($"AGI route '{attribute.Name}' is registered twice in this module.");
        services.TryAddScoped<THandler>();
        return services.AddContribution(new ModuleContribution(ContributionKind.AgiHandler, typeof(THandler), attribute.Name));
    }

    /// <summary>Registers an AMI worker; one instance runs while the module is enabled.</summary>
    public static IServiceCollection AddAmiWorker<TWorker>(this IServiceCollection services)
        where TWorker : class, IAmiWorker
    {
        services.TryAddSingleton<TWorker>();
        return services.AddContribution(new ModuleContribution(ContributionKind.AmiWorker, typeof(TWorker)));
    }

    /// <summary>Registers a dialplan contributor.</summary>
    public static IServiceCollection AddDialplanContributor<TContributor>(this IServiceCollection services)
        where TContributor : class, IDialplanContributor
    {
        services.TryAddSingleton<TContributor>();
        return services.AddContribution(new ModuleContribution(ContributionKind.Dialplan, typeof(TContributor)));
    }

    /// <summary>
    /// Registers a REST resource class marked with <see cref="ApiResourceAttribute"/>, served under
    /// <c>/pbxcore/api/v3/&lt;module-id&gt;/</c>. The class is checked here: a path that is not
    /// relative lower-case segments, a mapping without a known HTTP method or a <c>Resource:Action</c>
    /// permission (<see cref="ResourceSecurityAttribute"/>), a route that does not parse, or a method
    /// that does not return <see cref="PbxApiResult"/> (or a task of one) throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The class breaks one of those rules; the message names the type or method and what to write.</exception>
    public static IServiceCollection AddApiResource<TResource>(this IServiceCollection services)
        where TResource : class
    {
        var shape = ApiResourceRules.Check(typeof(TResource));
        services.TryAddScoped<TResource>();
        return services.AddContribution(new ModuleContribution(ContributionKind.RestResource, typeof(TResource), shape.Path));
    }

    /// <summary>
    /// Registers a Quartz job that runs on <paramref name="schedule"/> while the module is enabled.
    /// The host never runs two instances of the same job at once.
    /// </summary>
    /// <param name="services">The module's services.</param>
    /// <param name="schedule">When it runs.</param>
    /// <param name="name">The job's name within the module; defaults to the class name.</param>
    public static IServiceCollection AddModuleJob<TJob>(this IServiceCollection services, JobSchedule schedule, string? name = null)
        where TJob : class, IJob
    {
        ArgumentNullException.ThrowIfNull(schedule);
        services.TryAddScoped<TJob>();
        return services.AddContribution(new ModuleContribution(ContributionKind.Job, typeof(TJob), name ?? typeof(TJob).Name, schedule));
    }

    /// <summary>Registers a service (singleton) the host starts with the module and stops with it.</summary>
    public static IServiceCollection AddModuleService<TService>(this IServiceCollection services)
        where TService : class, IModuleService
    {
        services.TryAddSingleton<TService>();
        return services.AddContribution(new ModuleContribution(ContributionKind.Service, typeof(TService)));
    }

    /// <summary>
    /// Binds typed settings from the module's configuration section (<see cref="IModuleContext.Configuration"/>),
    /// validated with data annotations when the module starts: read them through <c>IOptionsMonitor&lt;TSettings&gt;</c>.
    /// </summary>
    public static IServiceCollection AddModuleSettings<TSettings>(this IServiceCollection services, IModuleContext context)
        where TSettings : class
    {
        ArgumentNullException.ThrowIfNull(context);
        services.AddOptions<TSettings>().Bind(context.Configuration).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Registers the module's EF Core context on the module's own database, which the host provides
    /// through <see cref="IModuleDatabase"/>. The host applies the context's migrations each time the
    /// module is loaded (install, upgrade, enable, start-up), before any lifecycle hook runs; a context
    /// with no migrations has its tables created from the model instead.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services)
        where TContext : ModuleDbContext
    {
        services.AddDbContext<TContext>((sp, options) => sp.GetRequiredService<IModuleDatabase>().Configure(options));
        services.AddSingleton(new ModuleDbContextRegistration(typeof(TContext)));
        return services;
    }

    /// <summary>The contributions recorded in a service collection, in registration order (for the host).</summary>
    internal static IReadOnlyList<ModuleContribution> GetContributions(this IServiceCollection services)
        => [.. services.Where(d => d.ServiceType == typeof(ModuleContribution)).Select(d => (ModuleContribution)d.ImplementationInstance!)];

    private static IServiceCollection AddContribution(this IServiceCollection services, ModuleContribution contribution)
    {
        if (services.Any(d => d.ServiceType == typeof(ModuleContribution) && Equals(d.ImplementationInstance, contribution)))
            return services;
        services.AddSingleton(contribution);
        return services;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex RouteName();
}
