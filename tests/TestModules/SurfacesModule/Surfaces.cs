using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Rest;
using PbxModules.Sdk.Scheduling;
using Quartz;

namespace TestModules.Surfaces;

/// <summary>Registers one contribution to every surface.</summary>
public sealed class SurfacesMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        services.AddModuleDbContext<SurfacesDb>();
        services.AddDialplanContributor<SurfacesDialplan>();
        services.AddAgiHandler<EchoHandler>();
        services.AddAmiWorker<PingWorker>();
        services.AddApiResource<ObservationsResource>();
        services.AddModuleJob<TickJob>(JobSchedule.Every(TimeSpan.FromSeconds(1)));
    }
}

/// <summary>Calls the echo handler before dial, and offers it as feature code *77.</summary>
public sealed class SurfacesDialplan : IDialplanContributor
{
    /// <inheritdoc/>
    public int Order => 100;

    /// <inheritdoc/>
    public ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        dialplan.SetGlobal("TEST_SURFACES", "1");
        dialplan.IncomingBeforeDial(IncomingStage.PreSystem).Add("AGI", dialplan.AgiUrl("echo"));
        dialplan.Internal.Extension("*77").Add("AGI", dialplan.AgiUrl("echo")).Add("Hangup");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Echoes the caller id into SURFACES_ECHO, after asking Asterisk for the caller's name.</summary>
[AgiHandler("echo")]
public sealed class EchoHandler(SurfacesDb db) : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var name = await channel.GetVariableAsync("CALLERID(name)", cancellationToken);
        await channel.SetVariableAsync("SURFACES_ECHO", channel.Request.CallerId, cancellationToken);
        await db.RecordAsync("agi", $"{channel.Request.CallerId} {name}", cancellationToken);
    }
}

/// <summary>Answers a <c>UserEvent: SurfacesPing</c> with a <c>UserEvent: SurfacesPong</c> carrying the same data.</summary>
public sealed class PingWorker(IAmiClient ami, IServiceScopeFactory scopes) : IAmiWorker
{
    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = new()
    {
        EventNames = new HashSet<string>(["UserEvent"], StringComparer.OrdinalIgnoreCase),
        HeaderFilters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["UserEvent"] = "SurfacesPing" },
    };

    /// <inheritdoc/>
    public async Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SurfacesDb>().RecordAsync("ami-connected", isReconnect ? "reconnect" : "first", cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken)
    {
        var data = amiEvent["Data"] ?? "";
        await using (var scope = scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SurfacesDb>().RecordAsync("ami", data, cancellationToken);
        await ami.SendAsync(new AmiAction("UserEvent").With("UserEvent", "SurfacesPong").With("Data", data), cancellationToken);
    }
}

/// <summary>Records a tick every second.</summary>
public sealed class TickJob(SurfacesDb db) : IJob
{
    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        => await db.RecordAsync("job", "tick", cancellationToken);
}

/// <summary><c>/pbxcore/api/v3/test-surfaces/observations</c>: what the surfaces saw.</summary>
[ApiResource("observations")]
[ResourceSecurity("TestSurfaces:Read")]
public sealed class ObservationsResource(SurfacesDb db)
{
    /// <summary>getList, newest first; <c>search</c> filters by kind.</summary>
    [HttpMapping("GET")]
    public PbxApiResult GetList(ApiListQuery query)
    {
        var items = db.Observations.AsEnumerable();
        if (query.Search is { } kind) items = items.Where(o => o.Kind == kind);
        return query.ToPage(items.OrderByDescending(o => o.Id));
    }
}
