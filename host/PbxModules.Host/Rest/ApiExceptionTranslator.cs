using System.Text.Json;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest;

/// <summary>
/// Answers an exception that escaped an endpoint under <c>/pbxcore/api/v3</c> in the API's shape, for
/// the core endpoints (<see cref="PbxApiErrorMiddleware"/>) and the module endpoints alike
/// (<see cref="ModuleEndpoints.ModuleEndpointInvoker"/>), so that the same failure gets the same answer
/// wherever it happens: a <see cref="PbxApiException"/> its result, a request that cannot be bound
/// (<see cref="BadHttpRequestException"/>) its status, a client that went away nothing, anything else
/// a logged 500 in the caller's words.
/// </summary>
internal static class ApiExceptionTranslator
{
    /// <summary>Writes the answer to <paramref name="exception"/>.</summary>
    /// <param name="context">The request the exception escaped from.</param>
    /// <param name="exception">What escaped.</param>
    /// <param name="json">The serializer options of the answer; null for the API's defaults.</param>
    /// <param name="unexpected">Logs an unexpected exception and says, for the caller, what failed.</param>
    public static Task WriteAsync(HttpContext context, Exception exception, JsonSerializerOptions? json, Func<Exception, string> unexpected) => exception switch
    {
        PbxApiException api => PbxApiHttpResult.WriteAsync(context, api.Result, json),
        // Malformed JSON, a route value that does not parse, a missing required parameter, a body too large or not JSON.
        BadHttpRequestException bad => PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(bad.StatusCode, bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => RequestBodyLimitMiddleware.TooLarge(context),
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(context),
            _ => bad.Message,
        }), json),
        // The client went away; nobody is left to answer.
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => Task.CompletedTask,
        _ => PbxApiHttpResult.WriteAsync(context, PbxApiResult.ServerError(unexpected(exception)), json),
    };

    /// <summary>The message of a 415.</summary>
    public static string UnsupportedMediaType(HttpContext context)
        => $"{context.Request.Method} {context.Request.Path} takes a JSON body (Content-Type: application/json); the request sent '{context.Request.ContentType ?? "no Content-Type"}'.";
}
