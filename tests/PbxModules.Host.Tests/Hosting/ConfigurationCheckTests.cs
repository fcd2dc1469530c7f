using PbxModules.Host.Hosting;

namespace PbxModules.Host.Tests.Hosting;

/// <summary>The arguments of <c>--check-config</c>: taken out of the host's arguments, the others kept.</summary>
public sealed class ConfigurationCheckTests
{
    [Fact]
    public void Check_config_and_its_folder_are_taken_out_and_the_other_arguments_kept()
    {
        var folder = Path.GetTempPath();
        Assert.True(ConfigurationCheck.Requested(["--Rest:Url=http://127.0.0.1:1", "--check-config", "--config-dir", folder, "--environment", "Production"], out var rest, out var dir));
        Assert.Equal(["--Rest:Url=http://127.0.0.1:1", "--environment", "Production"], rest);
        Assert.Equal(Path.GetFullPath(folder), dir);

        Assert.True(ConfigurationCheck.Requested([$"--config-dir={folder}", "--check-config"], out rest, out dir));
        Assert.Empty(rest);
        Assert.Equal(Path.GetFullPath(folder), dir);
    }

    [Fact]
    public void Without_check_config_nothing_changes()
    {
        Assert.False(ConfigurationCheck.Requested(["--Paths:Data=/x"], out var rest, out var dir));
        Assert.Equal(["--Paths:Data=/x"], rest);
        Assert.Null(dir);
    }

    [Fact]
    public void A_config_dir_without_the_check_or_without_a_folder_is_refused_with_what_to_do()
    {
        Assert.Contains("goes with --check-config", Assert.Throws<ArgumentException>(() => ConfigurationCheck.Requested(["--config-dir", Path.GetTempPath()], out _, out _)).Message, StringComparison.Ordinal);
        Assert.Contains("needs a folder", Assert.Throws<ArgumentException>(() => ConfigurationCheck.Requested(["--check-config", "--config-dir"], out _, out _)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => ConfigurationCheck.Requested(["--check-config", "--config-dir", "/no/such/folder/here"], out _, out _)).Message, StringComparison.Ordinal);
    }
}
