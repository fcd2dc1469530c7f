using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PbxModules.Host.Rest;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Auth.Throttling;

/// <summary>
/// The coarse limit, with ASP.NET Core's rate limiter: the auth endpoints take at most
/// <c>Auth:AddressPermitLimit</c> requests per <c>Auth:AddressWindow</c> from one client address,
/// whatever their outcome (the failure tracker is what reacts to failures). Refused requests answer
/// 429 with <c>Retry-After</c> in the API's envelope.
/// </summary>
internal static partial class AuthRateLimiting
{
    /// <summary>The policy name the auth endpoints require.</summary>
    public const string Policy = "pbx-auth";

    public static IServiceCollection AddPbxAuthRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AuthThrottleOptions>>((limiter, throttle) =>
        {
            var options = throttle.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.AddressPermitLimit,
                Window = options.AddressWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.AddressWindow;
                context.Response.Headers.RetryAfter = AuthThrottle.RetryAfterSeconds(wait);
                LogRejected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthRateLimiting).FullName!), ClientAddress.Of(context), options.AddressPermitLimit, options.AddressWindow);
                return new ValueTask(PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(StatusCodes.Status429TooManyRequests,
                    $"Too many requests to the auth endpoints from this address (at most {options.AddressPermitLimit} per {options.AddressWindow}). Retry after {AuthThrottle.RetryAfterSeconds(wait)} s."), null));
            };
        });
        return services;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "An auth request from {Address} was refused: more than {Limit} per {Window}")]
    private static partial void LogRejected(ILogger logger, string address, int limit, TimeSpan window);
}
