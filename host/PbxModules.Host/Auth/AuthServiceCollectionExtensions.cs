using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using PbxModules.Host.Auth.Throttling;

namespace PbxModules.Host.Auth;

/// <summary>Wiring of the API's authentication (JWT, API keys, trusted loopback) and permission-based authorization.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Adds the schemes, the permission handler, the token and key services and the first-admin start-up step.</summary>
    public static IServiceCollection AddPbxAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JwtKeyProvider>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<RoleCatalog>();
        services.AddSingleton<AuthService>();
        services.AddSingleton<ApiKeyService>();
        services.AddOptions<AuthThrottleOptions>().Bind(configuration.GetSection(AuthThrottleOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuthThrottle>();
        services.AddPbxAuthRateLimiting();
        services.AddHostedService<AuthStartup>();

        services.AddAuthentication(PbxAuthSchemes.Pbx)
            .AddPolicyScheme(PbxAuthSchemes.Pbx, "Bearer token, API key, the Unix socket or trusted loopback", o => o.ForwardDefaultSelector = Credentials.SelectScheme)
            .AddJwtBearer(PbxAuthSchemes.Bearer)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(PbxAuthSchemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, LoopbackAuthenticationHandler>(PbxAuthSchemes.Loopback, null)
            .AddScheme<AuthenticationSchemeOptions, UnixSocketAuthenticationHandler>(PbxAuthSchemes.UnixSocket, null);
        services.AddOptions<JwtBearerOptions>(PbxAuthSchemes.Bearer).Configure<JwtKeyProvider, IOptions<AuthOptions>, TimeProvider, SessionRevocations>(ConfigureJwt);

        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder(PbxAuthSchemes.Pbx).AddRequirements(new ApiPathRequirement()).Build());
        services.AddSingleton<IAuthorizationHandler, PermissionAuthorizationHandler>();
        services.AddSingleton<IAuthorizationHandler, ApiPathRequirement>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, PbxAuthorizationResultHandler>();
        return services;
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, JwtKeyProvider keys, IOptions<AuthOptions> options, TimeProvider time, SessionRevocations revocations)
    {
        jwt.MapInboundClaims = false;
        jwt.RequireHttpsMetadata = false;
        jwt.TimeProvider = time;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer,
            ValidAudience = options.Value.Issuer,
            IssuerSigningKeyResolver = (_, _, _, _) => [keys.Key],
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            // Expiry is checked against the host's TimeProvider (tests move it), with no skew: one clock.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } e && now < e && (notBefore is not { } nb || nb <= now);
            },
            ClockSkew = TimeSpan.Zero,
            NameClaimType = PbxClaims.Name,
            RoleClaimType = PbxClaims.Role,
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.Principal?.FindFirst(PbxClaims.Session)?.Value is not { } session || revocations.IsRevoked(session))
                    context.Fail("The session of this token has ended.");
                return Task.CompletedTask;
            },
        };
    }
}

/// <summary>Creates the first administrator and reloads recent revocations once the host database is migrated.</summary>
internal sealed class AuthStartup(AuthService auth, Microsoft.EntityFrameworkCore.IDbContextFactory<HostData.HostDbContext> database, JwtKeyProvider keys) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Idempotent; the module host migrates too, but this must not depend on start order.
        await HostData.HostDatabase.MigrateAsync(database, cancellationToken);
        await auth.InitializeAsync(cancellationToken);
        _ = keys.Key; // generate (or check) the signing key now, not on the first login
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
