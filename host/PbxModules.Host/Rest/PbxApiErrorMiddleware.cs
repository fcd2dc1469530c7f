using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest;

/// <summary>
/// Keeps every answer under <c>/pbxcore/api/v3</c> in the API's shape: a request the core endpoints
/// cannot bind (400), an unknown route (404) or method (405), and an unexpected exception (500,
/// logged) all become <see cref="PbxApiResult"/> JSON instead of an empty body or a stack trace; so
/// does any other error status left without a body (415 for a body that is not JSON, 413, …).
/// </summary>
internal sealed partial class PbxApiErrorMiddleware(RequestDelegate next, ILogger<PbxApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(RestPaths.Base))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            await ApiExceptionTranslator.WriteAsync(context, ex, null, e =>
            {
                LogFailed(logger, e, context.Request.Method, context.Request.Path);
                return $"{context.Request.Method} {context.Request.Path} failed with {e.GetType().Name}. The details are in the daemon log.";
            });
            return;
        }

        if (context.Response.HasStarted || context.Response.ContentLength > 0 || context.Response.ContentType is not null) return;
        if (context.Response.StatusCode == StatusCodes.Status404NotFound && context.GetEndpoint() is null)
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.NotFound($"No endpoint answers {context.Request.Method} {context.Request.Path}. See {RestPaths.Docs} for the API, and /pbxcore/api/v3/modules for which modules are enabled."), null);
        else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(405, $"{context.Request.Path} does not answer {context.Request.Method}."), null);
        else if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge)
            // The server cut a body off at the limit while the endpoint's binding read it (chunked, no length to refuse up front).
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(413, RequestBodyLimitMiddleware.TooLarge(context)), null);
        else if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(415, ApiExceptionTranslator.UnsupportedMediaType(context)), null);
        else if (context.Response.StatusCode >= 400)
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(context.Response.StatusCode,
                $"{context.Request.Method} {context.Request.Path} answered {context.Response.StatusCode} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(context.Response.StatusCode)}."), null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
