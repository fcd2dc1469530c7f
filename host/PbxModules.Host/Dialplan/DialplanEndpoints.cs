using PbxModules.Host.Rest;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Dialplan;

/// <summary>
/// <c>GET /pbxcore/api/v3/dialplan</c>: the rendered file, which module wrote each block, and the
/// integration lines; <c>POST /pbxcore/api/v3/dialplan:apply</c>: render, write if changed and reload now.
/// </summary>
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

        // The daemon applies on every module change by itself; this is for after a hand edit of the
        // file or a reload Asterisk missed (AMI was down): the administrator's "do it again now".
        api.MapPost("/" + RestPaths.Dialplan + ":apply", async (DialplanService dialplan, CancellationToken ct) =>
        {
            var status = await dialplan.ApplyAsync(ct);
            // A file that cannot be written is a failure; a reload Asterisk did not take is not: the file is
            // right, and the daemon sends the reload again when AMI connects. That one is a warning.
            var result = status switch
            {
                { WriteFailed: true, Error: { } error } => PbxApiResult.Fail(StatusCodes.Status500InternalServerError, error, status),
                { Error: { } error } => PbxApiResult.Done(Summary(status), status).WithWarnings([error]),
                _ => PbxApiResult.Done(Summary(status), status),
            };
            foreach (var warning in dialplan.Current?.Warnings ?? []) result.Messages.Warning.Add(warning);
            return result.ToHttpResult();
        }).RequireAuthorization(Auth.Permissions.Policy("Dialplan:Write"))
            .WithTags("Dialplan").WithSummary("Renders extensions_modules.conf, writes it if it changed and has Asterisk reload it; 500 with the reason when the file cannot be written, a warning when Asterisk did not reload (sent again when AMI connects).");
        return api;
    }

    private static string Summary(DialplanApplyStatus status) => (status.Changed, status.Reloaded) switch
    {
        (true, true) => $"{status.Path} written and Asterisk's dialplan reloaded.",
        (true, false) => $"{status.Path} written; Asterisk will reload it once AMI is connected.",
        (false, true) => $"{status.Path} was up to date; Asterisk's dialplan reloaded (a reload was pending).",
        (false, false) => $"{status.Path} is up to date; nothing to reload.",
    };
}
