namespace PbxModules.Sdk;

/// <summary>
/// Facts about this build of the SDK. The host compares a module manifest's <c>sdk</c> range
/// against <see cref="Version"/> before it loads the module.
/// </summary>
public static class SdkInfo
{
    /// <summary>The SemVer version of the SDK contracts. Bump the major version on any breaking change.</summary>
    public const string Version = "1.0.0";
}
