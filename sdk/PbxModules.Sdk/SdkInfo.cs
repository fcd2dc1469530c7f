using System.Reflection;

namespace PbxModules.Sdk;

/// <summary>
/// Facts about this build of the SDK. The host compares a module manifest's <c>sdk</c> range
/// against <see cref="Version"/> before it loads the module.
/// </summary>
public static class SdkInfo
{
    /// <summary>
    /// The SemVer version of the SDK contracts, e.g. <c>1.0.0</c>. Bump the major version on any
    /// breaking change. It is the package's version (<c>&lt;Version&gt;</c> in PbxModules.Sdk.csproj),
    /// read from the assembly, so the two cannot drift apart.
    /// </summary>
    public static string Version { get; } = ReadVersion();

    // The compiler writes <Version> into the informational version; a source revision, when the
    // build adds one, follows a '+' and is build metadata, not part of the contract's version.
    private static string ReadVersion()
    {
        var informational = typeof(SdkInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException("PbxModules.Sdk was built without an informational version; build it with <Version> set.");
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
