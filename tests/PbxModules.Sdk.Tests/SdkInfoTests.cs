using System.Reflection;
using System.Xml.Linq;

namespace PbxModules.Sdk.Tests;

/// <summary>The SDK's version is written once, as the project's <c>&lt;Version&gt;</c>: what the host checks manifests against is what the package says.</summary>
public sealed class SdkInfoTests
{
    [Fact]
    public void SdkInfo_Version_is_the_projects_Version()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "sdk", "PbxModules.Sdk", "PbxModules.Sdk.csproj"));
        var declared = Assert.Single(project.Descendants("Version")).Value.Trim();

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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PbxModules.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No PbxModules.sln above {AppContext.BaseDirectory}.");
    }
}
