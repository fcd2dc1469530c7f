namespace PbxModules.Cli.Tests.Daemon;

/// <summary>What the CLI says when it cannot reach a daemon, and its help.</summary>
public sealed class DaemonClientTests
{
    [Fact]
    public async Task No_daemon_on_the_socket_exits_3_and_says_to_start_it_or_pass_url()
    {
        var socket = Path.Combine(Path.GetTempPath(), "pbxmodules-cli-" + Guid.NewGuid().ToString("N"), "pbx-modules.sock");
        var run = await CliRun.RunAsync(null, "module", "list", "--socket", socket);
        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("Is pbx-modules running?", run.Error, StringComparison.Ordinal);
        Assert.Contains($"The socket {socket} was not found", run.Error, StringComparison.Ordinal);
        Assert.Contains("--url", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_socket_is_under_the_working_directory_or_from_the_environment()
    {
        var socket = Path.Combine(Path.GetTempPath(), "pbxmodules-cli-" + Guid.NewGuid().ToString("N") + ".sock");
        var fromEnvironment = await CliRun.RunAsync(new Dictionary<string, string> { ["PBX_MODULES_SOCKET"] = socket }, "module", "list");
        Assert.Contains($"The socket {socket} was not found", fromEnvironment.Error, StringComparison.Ordinal);

        var byDefault = await CliRun.RunAsync(null, "module", "list");
        Assert.Contains($"The socket {Path.GetFullPath("./var/data/pbx-modules.sock")} was not found", byDefault.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_daemon_at_the_url_exits_3()
    {
        var port = Sdk.Testing.Daemon.PbxDaemon.FreePort();
        var run = await CliRun.RunAsync(null, "apikey", "list", "--url", $"http://127.0.0.1:{port}");
        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("Is pbx-modules running?", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("module", "--help")]
    [InlineData("module", "install", "--help")]
    [InlineData("agi", "call", "--help")]
    [InlineData("config", "check", "--help")]
    public async Task Help_is_there_everywhere(params string[] args)
    {
        var run = await CliRun.RunAsync(null, args);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_argument_that_looks_like_a_missing_file_is_refused_before_any_request()
    {
        var run = await CliRun.RunAsync(null, "module", "install", "./nowhere/module.nupkg", "--url", "http://127.0.0.1:1");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No file", run.Error, StringComparison.Ordinal);
    }
}
