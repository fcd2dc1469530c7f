using PbxModules.Sdk.Tests.Packaging;

namespace PbxModules.Sdk.Tests.Templates;

/// <summary>
/// `dotnet new` with the templates package installed in a CLI home of its own (DOTNET_CLI_HOME, which
/// holds the templating engine's settings and cache), so the machine's own template list is never touched.
/// </summary>
internal sealed class DotnetNew
{
    private readonly Dictionary<string, string> _environment;

    private DotnetNew(string home) => _environment = new() { ["DOTNET_CLI_HOME"] = home, ["DOTNET_NOLOGO"] = "1", ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1" };

    /// <summary>Installs the package from the fixture's feed into <paramref name="home"/>.</summary>
    public static async Task<DotnetNew> InstallAsync(SdkPackagesFixture packages, string home)
    {
        Directory.CreateDirectory(home);
        var templates = new DotnetNew(home);
        var package = Path.Combine(packages.Output, $"{SdkPackagesFixture.TemplatesProject}.{packages.Version}.nupkg");
        var install = await DotnetCli.RunAsync(home, templates._environment, "new", "install", package);
        Assert.True(install.ExitCode == 0, $"dotnet new install {package} failed:\n{install.Output}");
        return templates;
    }

    /// <summary>
    /// <c>dotnet new pbxmodule -n <paramref name="name"/> -o <paramref name="output"/></c> and any more arguments;
    /// without the check for a newer template package on the machine's feeds (the test is about this build's).
    /// </summary>
    public async Task CreateAsync(string name, string output, params string[] more)
    {
        var created = await DotnetCli.RunAsync(null, _environment, ["new", "pbxmodule", "-n", name, "-o", output, "--no-update-check", .. more]);
        Assert.True(created.ExitCode == 0, $"dotnet new pbxmodule -n {name} failed:\n{created.Output}");
    }
}
