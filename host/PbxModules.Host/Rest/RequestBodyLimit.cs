using Microsoft.AspNetCore.Http.Metadata;

namespace PbxModules.Host.Rest;

/// <summary>
/// The largest request body an endpoint takes. Routing hands it to the server
/// (<see cref="Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature"/>) when the endpoint is matched, and
/// <see cref="RequestBodyLimitMiddleware"/> refuses a body declared larger before reading a byte of it.
/// </summary>
internal sealed record RequestBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata
{
    /// <summary>The limit of the auth endpoints (login, refresh, logout): a user name, a password or a token, with room for JSON escapes.</summary>
    public const long AuthBytes = 4 * 1024;
}
