using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest;

/// <summary>
/// Answers 413 in the API's envelope when a request declares (<c>Content-Length</c>) a body larger
/// than its endpoint takes, before anything reads it: the body is never buffered. A body without a
/// length (chunked) is cut off by the server when it passes the limit while being read.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (Limit(context) is { } max && context.Request.ContentLength is { } length && length > max)
        {
            // The rest of the body is not wanted: close the connection instead of draining it.
            context.Response.Headers.Connection = "close";
            return PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(StatusCodes.Status413PayloadTooLarge, TooLarge(context, max)), null);
        }
        return next(context);
    }

    /// <summary>The body limit of the request's endpoint (or the server's default), null for none.</summary>
    public static long? Limit(HttpContext context)
        => context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;

    /// <summary>The message of a 413 for the request's endpoint.</summary>
    public static string TooLarge(HttpContext context) => TooLarge(context, Limit(context) ?? 0);

    /// <summary>The message of a 413.</summary>
    public static string TooLarge(HttpContext context, long max)
        => $"The request body is larger than {context.Request.Method} {context.Request.Path} takes ({max} bytes). Send less, or raise Rest:MaxJsonBodyBytes if this endpoint uses the default.";
}
