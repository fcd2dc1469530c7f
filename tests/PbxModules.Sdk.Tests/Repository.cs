using System.Xml.Linq;

namespace PbxModules.Sdk.Tests;

/// <summary>The checkout these tests were built from, and what its files declare.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The SDK's one version, <c>&lt;PbxModulesSdkVersion&gt;</c> in sdk/Version.props.</summary>
    public static string DeclaredSdkVersion()
        => XDocument.Load(Path.Combine(Root, "sdk", "Version.props")).Descendants("PbxModulesSdkVersion").Single().Value.Trim();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PbxModules.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No PbxModules.sln above {AppContext.BaseDirectory}.");
    }
}
