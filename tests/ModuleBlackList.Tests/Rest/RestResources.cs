using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModuleBlackList.Data;
using ModuleBlackList.Models;
using ModuleBlackList.Rest;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Tests.Rest;

/// <summary>
/// The module's REST resources called directly, as the host calls them for one request each: a
/// fresh scope (and database context) of the module's own container in the real host per resource,
/// on the module's real service over its SQLite file and a fake clock.
/// </summary>
internal sealed class RestResources : IAsyncDisposable
{
    private readonly List<AsyncServiceScope> _scopes = [];

    /// <summary>The host clock's start: 2026-11-24 12:00 UTC.</summary>
    public static readonly DateTime Noon = BlackListHost.Noon.UtcDateTime;

    /// <summary>No request is cancelled in these tests.</summary>
    public static CancellationToken None => CancellationToken.None;

    private RestResources(BlackListHost harness) => Harness = harness;

    public BlackListHost Harness { get; }

    public ListReadiness Readiness => new(Service, Harness.Time);

    /// <param name="settings">Stored settings; none stored when null.</param>
    public static async Task<RestResources> StartAsync(BlackListSettings? settings = null)
        => new(await BlackListHost.StartAsync(settings));

    /// <summary>
    /// Resources over a second instance of the module's service, made from the module's container and never started, so its
    /// list never loads (the one the host runs has loaded by the time the host is up).
    /// </summary>
    public static async Task<RestResources> StartUnloadedAsync()
    {
        var host = await BlackListHost.StartAsync();
        return new(host) { _unloaded = ActivatorUtilities.CreateInstance<BlackListService>(host.Services) };
    }

    private BlackListService? _unloaded;

    private BlackListService Service => _unloaded ?? Harness.BlackList;

    public NumbersResource Numbers() => new(Service, Db(), Readiness);

    public NumbersTransferResource Transfer() => new(Db());

    public NumbersImport Import() => new(Service, Db(), Harness.Services.GetRequiredService<IOptionsMonitor<BlackListOptions>>());

    public SettingsResource Settings() => new(Service, Readiness);

    public CallsResource Calls() => new(Service, Db());

    public StatisticsResource Statistics() => new(Db(), Harness.Time);

    /// <summary>A context of its own, as a request gets.</summary>
    public BlackListDbContext Db()
    {
        var scope = Harness.Services.CreateAsyncScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
    }

    /// <summary>A blocked call as the check handler logs it.</summary>
    public static BlackListCalls Call(string uniqueId, DateTime at, string number, string normalized, int? rule, string reason, string did = "")
        => new() { UniqueId = uniqueId, At = at, Number = number, Normalized = normalized, RuleId = rule, Reason = reason, Did = did, Action = "Hangup", Channel = $"PJSIP/trunk-{uniqueId}" };

    /// <summary>The payload of a successful answer, as its type.</summary>
    public static T Data<T>(PbxApiResult result, int httpCode = 200)
    {
        Assert.True(result.Success, string.Join(" ", result.Messages.Error));
        Assert.Equal(httpCode, result.HttpCode);
        return Assert.IsAssignableFrom<T>(result.Data);
    }

    /// <summary>Asserts a failure with this status code; returns its messages.</summary>
    public static ApiMessages Failed(PbxApiResult result, int httpCode)
    {
        Assert.False(result.Success);
        Assert.Equal(httpCode, result.HttpCode);
        return result.Messages;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes) await scope.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
