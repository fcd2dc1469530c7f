using PbxModules.Host.Auth;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;
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
        // modules:available is one segment of its own beside the group (what the feeds offer).
        api.MapModulesAvailableEndpoint();
        var group = api.MapGroup("modules").WithTags("Modules");
        var read = Permissions.Policy(Permissions.ModulesRead);
        var write = Permissions.Policy(Permissions.ModulesWrite);

        group.MapGet("", (ApiListQuery query, IModuleRegistry modules, ModuleCrashBreaker breaker) => query.ToPage(modules.GetModules().Select(m => WithQuarantine(m, breaker)).ToList()).ToHttpResult())
            .RequireAuthorization(read).WithSummary("Lists installed modules with their state, failure reason and quarantine (reason, retryAt) if any (limit, offset: one page).");

        group.MapGet("{id}", (string id, IModuleRegistry modules, ModuleCrashBreaker breaker) =>
            modules.GetModule(id) is { } module
                ? PbxApiResult.Ok(WithQuarantine(module, breaker)).ToHttpResult()
                : PbxApiResult.NotFound($"No module '{id}' is installed.").ToHttpResult())
            .RequireAuthorization(read).WithSummary("One module.");

        group.MapPost("{id}:enable", async (string id, ModuleManager manager, CancellationToken ct) =>
            ToResult(await manager.EnableAsync(id, ct)))
            .RequireAuthorization(write).WithSummary("Enables a module; 409 with the reason when it refuses (before-enable hook), its manifest or dependencies forbid it, or it cannot be loaded or started (e.g. a corrupt assembly).");

        group.MapPost("{id}:disable", async (string id, ModuleManager manager, CancellationToken ct) =>
            ToResult(await manager.DisableAsync(id, null, ct)))
            .RequireAuthorization(write).WithSummary("Disables a module; its before-disable hook may refuse (409).");

        group.MapDelete("{id}", async (string id, bool? keepData, ModuleManager manager, CancellationToken ct) =>
            ToResult(await manager.UninstallAsync(id, keepData ?? true, ct)))
            .RequireAuthorization(write).WithSummary("Uninstalls a module; its database and files are kept for a later reinstall unless ?keepData=false.");

        // modules:install and modules/{id}:upgrade: no route above matches them (other segments or suffixes).
        api.MapModuleInstallEndpoints();
        return api;
    }

    // Only an enabled module can be in quarantine; the breaker forgets a module when it is disabled.
    private static ModuleInfo WithQuarantine(ModuleInfo module, ModuleCrashBreaker breaker)
        => module.State == ModuleState.Enabled && breaker.GetQuarantine(module.Id) is { } quarantine ? module with { Quarantine = quarantine } : module;

    private static IResult ToResult(ModuleOperationResult result) => (result.Status switch
    {
        ModuleOperationStatus.Done => PbxApiResult.Done(result.Message, result.Module),
        ModuleOperationStatus.NotFound => PbxApiResult.NotFound(result.Message),
        // A module that cannot be loaded or whose hook fails (a corrupt dll, a throwing hook) is a
        // conflict with what is installed, not a fault of the server: 409 with the reason, as a veto.
        // A refusal with a code (uninstall: HasDependents) is in the envelope as modules:install's are: data.code and data.module.
        ModuleOperationStatus.Refused when result.Code is { } code => PbxApiResult.Fail(StatusCodes.Status409Conflict, result.Message, new ModuleInstallRefusal(code, result.Module)),
        ModuleOperationStatus.Refused or ModuleOperationStatus.Failed => PbxApiResult.Fail(StatusCodes.Status409Conflict, result.Message, result.Module),
        _ => PbxApiResult.Fail(StatusCodes.Status500InternalServerError, result.Message, result.Module),
    }).ToHttpResult();
}
