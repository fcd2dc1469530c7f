using PbxModules.Host.Rest;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Dialplan;

/// <summary><c>GET /pbxcore/api/v3/dialplan</c>: the rendered file, which module wrote each block, and the integration lines.</summary>
internal static class DialplanEndpoints
{
    /// <summary>Maps the endpoint into the API's route group (<see cref="RestServiceCollectionExtensions.MapPbxRest"/>).</summary>
    public static RouteGroupBuilder MapDialplanEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/" + RestPaths.Dialplan, (DialplanService dialplan) =>
        {
            var current = dialplan.Current;
            var result = PbxApiResult.Ok(new
            {
                path = dialplan.FilePath,
                text = current?.Text,
                blocks = current?.Blocks ?? [],
                status = dialplan.LastStatus,
                integration = DialplanContexts.IntegrationLines,
            });
            foreach (var warning in current?.Warnings ?? []) result.Messages.Warning.Add(warning);
            if (dialplan.LastStatus?.Error is { } error) result.Messages.Warning.Add(error);
            return result.ToHttpResult();
        }).RequireAuthorization(Auth.Permissions.Policy("Dialplan:Read"))
            .WithTags("Dialplan").WithSummary("The rendered extensions_modules.conf and which module wrote each block.");
        return api;
    }
}
