using PbxModules.Host.Auth;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest;

/// <summary>
/// <c>/pbxcore/api/v3/modules</c>: the installed modules, and enable / disable / uninstall.
/// </summary>
internal static class ModulesEndpoints
{
    /// <summary>Maps the module endpoints under <paramref name="api"/> (the <c>/pbxcore/api/v3</c> group).</summary>
    public static IEndpointRouteBuilder MapModulesEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("modules").WithTags("Modules");
        var read = Permissions.Policy(Permissions.ModulesRead);
        var write = Permissions.Policy(Permissions.ModulesWrite);

        group.MapGet("", (ApiListQuery query, ModuleManager manager) => query.ToPage(manager.GetModules()).ToHttpResult())
            .RequireAuthorization(read).WithSummary("Lists installed modules with their state and failure reason (limit, offset: one page).");

        group.MapGet("{id}", (string id, ModuleManager manager) =>
            manager.GetModule(id) is { } module
                ? PbxApiResult.Ok(module).ToHttpResult()
                : PbxApiResult.NotFound($"No module '{id}' is installed.").ToHttpResult())
            .RequireAuthorization(read).WithSummary("One module.");

        group.MapPost("{id}:enable", async (string id, ModuleManager manager, CancellationToken ct) =>
            ToResult(await manager.EnableAsync(id, ct)))
            .RequireAuthorization(write).WithSummary("Enables a module; its before-enable hook may refuse (409).");

        group.MapPost("{id}:disable", async (string id, ModuleManager manager, CancellationToken ct) =>
            ToResult(await manager.DisableAsync(id, null, ct)))
            .RequireAuthorization(write).WithSummary("Disables a module; its before-disable hook may refuse (409).");

        group.MapDelete("{id}", async (string id, bool? keepData, ModuleManager manager, CancellationToken ct) =>
            ToResult(await manager.UninstallAsync(id, keepData ?? false, ct)))
            .RequireAuthorization(write).WithSummary("Uninstalls a module; ?keepData=true keeps its database and files.");

        return api;
    }

    private static IResult ToResult(ModuleOperationResult result) => (result.Status switch
    {
        ModuleOperationStatus.Done => new PbxApiResult { Success = true, HttpCode = 200, Data = result.Module, Messages = new ApiMessages { Info = [result.Message] } },
        ModuleOperationStatus.NotFound => PbxApiResult.NotFound(result.Message),
        ModuleOperationStatus.Refused => new PbxApiResult { Success = false, HttpCode = 409, Data = result.Module, Messages = new ApiMessages { Error = [result.Message] } },
        _ => new PbxApiResult { Success = false, HttpCode = 500, Data = result.Module, Messages = new ApiMessages { Error = [result.Message] } },
    }).ToHttpResult();
}
