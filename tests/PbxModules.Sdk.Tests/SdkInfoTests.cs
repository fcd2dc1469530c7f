using System.Reflection;

namespace PbxModules.Sdk.Tests;

/// <summary>The SDK's version is written once, as <c>&lt;PbxModulesSdkVersion&gt;</c> in sdk/Version.props: what the host checks manifests against is what the package says.</summary>
public sealed class SdkInfoTests
{
    [Fact]
    public void SdkInfo_Version_is_the_projects_Version()
    {
        var declared = Repository.DeclaredSdkVersion();

        Assert.Equal(declared, SdkInfo.Version);
        var assembly = typeof(SdkInfo).Assembly.GetName().Version!;
        Assert.Equal(declared, $"{assembly.Major}.{assembly.Minor}.{assembly.Build}");
    }

    [Fact]
    public void SdkInfo_Version_carries_no_build_metadata()
    {
        var informational = typeof(SdkInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.StartsWith(SdkInfo.Version, informational, StringComparison.Ordinal);
        Assert.DoesNotContain('+', SdkInfo.Version);
    }
}
