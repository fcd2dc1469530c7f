namespace PbxModules.Cli.Tests.Commands;

/// <summary><c>dialplan show [--integration] | apply</c> against the real daemon.</summary>
[Collection(CliDaemonCollection.Name)]
public sealed class DialplanCommandsTests(CliDaemon daemon)
{
    [Fact]
    public async Task Show_prints_the_file_the_daemon_wrote_and_which_module_wrote_each_block()
    {
        var run = await daemon.RunAsync("dialplan", "show");
        Assert.True(run.ExitCode == 0, run.ToString());
        var file = Path.Combine(daemon.Daemon.Root, "var", "asterisk", "extensions_modules.conf");
        Assert.Contains("; " + file, run.Output, StringComparison.Ordinal);
        Assert.Contains(CliDaemon.ModuleId, run.Output, StringComparison.Ordinal);
        // The text itself, as on disk.
        var firstContext = File.ReadAllLines(file).First(l => l.StartsWith('['));
        Assert.Contains(firstContext, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_integration_prints_the_lines_to_paste_into_extensions_conf()
    {
        var run = await daemon.RunAsync("dialplan", "show", "--integration");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("#include extensions_modules.conf", run.Output, StringComparison.Ordinal);
        Assert.Contains("Gosub(", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("; blocks:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_writes_the_file_again_and_Asterisk_reloads_it()
    {
        var file = Path.Combine(daemon.Daemon.Root, "var", "asterisk", "extensions_modules.conf");
        var before = await File.ReadAllTextAsync(file);
        File.Delete(file);
        var run = await daemon.RunAsync("dialplan", "apply");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("written and Asterisk's dialplan reloaded", run.Output, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(file));
    }
}
