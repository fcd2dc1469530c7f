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
/// fresh scope (and database context) per resource, on the module's real service over a SQLite
/// file and a fake clock.
/// </summary>
internal sealed class RestResources : IAsyncDisposable
{
    private readonly List<AsyncServiceScope> _scopes = [];

    /// <summary>The harness clock's start: 2026-11-24 12:00 UTC.</summary>
    public static readonly DateTime Noon = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>No request is cancelled in these tests.</summary>
    public static CancellationToken None => CancellationToken.None;

    private RestResources(ModuleHarness harness) => Harness = harness;

    public ModuleHarness Harness { get; }

    public ListReadiness Readiness => new(Harness.BlackList, Harness.Time);

    /// <param name="settings">Stored settings; none stored when null.</param>
    /// <param name="start">False: the list never loads (the service is not started).</param>
    public static async Task<RestResources> StartAsync(BlackListSettings? settings = null, bool start = true)
        => new(await ModuleHarness.StartAsync(settings, start, onFile: true));

    public NumbersResource Numbers() => new(Harness.BlackList, Db(), Readiness);

    public NumbersTransferResource Transfer() => new(Db());

    public NumbersImport Import() => new(Harness.BlackList, Db(), Harness.Services.GetRequiredService<IOptionsMonitor<BlackListOptions>>());

    public SettingsResource Settings() => new(Harness.BlackList, Readiness);

    public CallsResource Calls() => new(Harness.BlackList, Db());

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
