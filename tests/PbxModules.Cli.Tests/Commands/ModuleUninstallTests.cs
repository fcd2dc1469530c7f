namespace PbxModules.Cli.Tests.Commands;

/// <summary>
/// <c>module uninstall</c> on a daemon of its own (it removes the module the other tests use). Its
/// <c>--purge</c> and the install, upgrade and available commands: <see cref="ModulePackageCommandsTests"/>.
/// </summary>
public sealed class ModuleUninstallTests(CliDaemon daemon) : IClassFixture<CliDaemon>
{
    [Fact]
    public async Task Uninstall_removes_the_module_and_keeps_its_data_by_default()
    {
        var database = Path.Combine(daemon.Daemon.Root, "var", "data", "modules", CliDaemon.ModuleId + ".db");
        Assert.True(File.Exists(database));

        var run = await daemon.RunAsync("module", "uninstall", CliDaemon.ModuleId);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Module '{CliDaemon.ModuleId}' uninstalled; its data was kept.", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(database));

        var list = await daemon.RunAsync("module", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.DoesNotContain(CliDaemon.ModuleId, list.Output, StringComparison.Ordinal);
        Assert.Contains("No module is installed", list.Output, StringComparison.Ordinal);

        var again = await daemon.RunAsync("module", "uninstall", CliDaemon.ModuleId, "--purge");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains(CliDaemon.ModuleId, again.Error, StringComparison.Ordinal);
    }
}
