namespace PbxModules.Host.Hosting;

/// <summary>
/// The environment to use when nobody chose one. <c>dotnet run</c> from a checkout sets
/// <see cref="Variable"/> (in <c>Properties/launchSettings.json</c>) to <c>Development</c>; an
/// environment the user sets (<c>ASPNETCORE_ENVIRONMENT</c>, <c>DOTNET_ENVIRONMENT</c>,
/// <c>--environment</c>) always wins over it, and without either the host's default (Production) applies.
/// </summary>
/// <remarks>
/// A launch profile's environment variables replace the caller's, so the profile must not set
/// <c>ASPNETCORE_ENVIRONMENT</c> itself: that is how <c>ASPNETCORE_ENVIRONMENT=Production dotnet run</c>
/// ended up in Development with loopback trusted.
/// </remarks>
internal static class DefaultEnvironment
{
    /// <summary>The variable the launch profile sets.</summary>
    public const string Variable = "PBXMODULES_DEFAULT_ENVIRONMENT";

    /// <summary>The environment to impose, or null to let the host decide.</summary>
    public static string? Resolve(string[] args)
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
            || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
            || args.Any(a => a.TrimStart('-', '/').StartsWith("environment", StringComparison.OrdinalIgnoreCase)))
            return null;
        var fallback = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(fallback) ? null : fallback.Trim();
    }
}
