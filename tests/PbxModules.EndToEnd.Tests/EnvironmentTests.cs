using System.Net;
using System.Text.Json;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// The environment the user sets wins, also under `dotnet run` (its launch profile only suggests
/// Development, and with it trusted loopback); with no environment set, `dotnet run` is still Development
/// and serves ModuleBlackList (installed by TestDaemon from this project's output: the host's own modules/
/// folder may be rebuilt by a concurrent build); outside Development a missing modules folder stops the start.
/// </summary>
public sealed class EnvironmentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task In_Production_a_missing_modules_folder_stops_the_daemon_with_exit_code_1_saying_where_it_looked()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-env-").FullName;
        try
        {
            var missing = Path.Combine(root, "no-modules-here");
            var (exitCode, output) = await TestDaemon.RunToExitAsync(root, new Dictionary<string, string> { ["Paths:Modules"] = missing },
                new DaemonLaunch("ASPNETCORE_ENVIRONMENT", "Production"), Patience);
            Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
            Assert.Contains($"The daemon cannot start: The modules folder {missing} does not exist", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(missing), "the daemon created the folder it refused");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("DOTNET_ENVIRONMENT")]
    public async Task Production_set_by_the_user_wins_under_dotnet_run_and_loopback_is_not_trusted(string variable)
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-env-").FullName;
        var modules = ModuleFolders.Install(root);
        await using var daemon = await TestDaemon.StartAsync(root, new Dictionary<string, string> { ["Paths:Modules"] = modules },
            launch: new DaemonLaunch(variable, "Production", ViaDotnetRun: true));
        await daemon.WaitForOutputAsync("Hosting environment: Production", Patience);
        Assert.DoesNotContain("Hosting environment: Development", daemon.Output, StringComparison.Ordinal);

        using var modulesList = await daemon.Http.GetAsync("/pbxcore/api/v3/modules");
        Assert.Equal(HttpStatusCode.Unauthorized, modulesList.StatusCode);
    }

    [Fact]
    public async Task With_no_environment_set_dotnet_run_is_Development_with_ModuleBlackList_as_README_says()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-env-").FullName;
        await using var daemon = await TestDaemon.StartAsync(root, launch: new DaemonLaunch(null, "", ViaDotnetRun: true));
        await daemon.WaitForOutputAsync("Hosting environment: Development", Patience);

        using var modules = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/modules"));
        Assert.Contains(modules.RootElement.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "module-black-list");
    }
}
