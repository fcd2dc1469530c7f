using Microsoft.Extensions.Logging;
using ModuleBlackList.Settings;

namespace ModuleBlackList.Tests.Settings;

/// <summary>The sound setting is checked when it is saved: its syntax always, with PlaySound that Asterisk has it.</summary>
public sealed class SoundSettingTests : IDisposable
{
    private readonly string _sounds = Directory.CreateTempSubdirectory("bl-sounds-").FullName;

    public SoundSettingTests()
    {
        Directory.CreateDirectory(Path.Combine(_sounds, "custom"));
        File.WriteAllBytes(Path.Combine(_sounds, "custom", "you-are-blocked.wav"), [0]);
        Directory.CreateDirectory(Path.Combine(_sounds, "en"));
        File.WriteAllBytes(Path.Combine(_sounds, "en", "ss-noservice.gsm"), [0]);
        Directory.CreateDirectory(Path.Combine(_sounds, "pt_BR", "custom"));
        File.WriteAllBytes(Path.Combine(_sounds, "pt_BR", "custom", "bloqueado.ulaw"), [0]);
    }

    public void Dispose() => Directory.Delete(_sounds, recursive: true);

    private static BlackListSettings PlaySound(string sound) => new() { Action = BlockAction.PlaySound, Sound = sound };

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("custom/../../secret")]
    [InlineData("/var/lib/asterisk/sounds/custom/you-are-blocked")]
    [InlineData("custom/you-are-blocked.wav")]
    [InlineData("you are blocked")]
    [InlineData("blocked,blocked")]
    [InlineData("blocked\"")]
    [InlineData("custom//blocked")]
    [InlineData("custom/")]
    [InlineData("")]
    public async Task A_name_Asterisk_cannot_take_or_one_that_leaves_the_sounds_directory_is_refused_whatever_the_action(string sound)
    {
        await using var m = await BlackListHost.StartAsync(soundsDirectory: _sounds);

        var errors = await m.BlackList.UpdateSettingsAsync(new BlackListSettings { Action = BlockAction.Hangup, Sound = sound }, CancellationToken.None);

        Assert.Contains("must be an Asterisk sound name", Assert.Single(errors!["sound"]), StringComparison.Ordinal);
        Assert.Equal("ss-noservice", m.BlackList.Settings.Sound);
    }

    [Theory]
    [InlineData("custom/you-are-blocked")]
    [InlineData("ss-noservice")]
    [InlineData("custom/bloqueado")]
    public async Task With_PlaySound_a_sound_installed_in_the_sounds_directory_or_a_language_folder_is_accepted(string sound)
    {
        await using var m = await BlackListHost.StartAsync(soundsDirectory: _sounds);

        Assert.Null(await m.BlackList.UpdateSettingsAsync(PlaySound(sound), CancellationToken.None));
        Assert.Equal(sound, m.BlackList.Settings.Sound);
    }

    [Theory]
    [InlineData("custom/no-such-sound")]
    [InlineData("Custom/You-Are-Blocked")]
    [InlineData("custom")]
    public async Task With_PlaySound_a_sound_Asterisk_does_not_have_is_refused_naming_where_it_looked(string sound)
    {
        await using var m = await BlackListHost.StartAsync(soundsDirectory: _sounds);

        var errors = await m.BlackList.UpdateSettingsAsync(PlaySound(sound), CancellationToken.None);

        var message = Assert.Single(errors!["sound"]);
        Assert.Contains($"'{sound}' is not installed", message, StringComparison.Ordinal);
        Assert.Contains(_sounds, message, StringComparison.Ordinal);
        Assert.Equal(BlockAction.Hangup, m.BlackList.Settings.Action);
    }

    [Fact]
    public async Task A_missing_sound_is_not_refused_while_another_action_is_configured()
    {
        await using var m = await BlackListHost.StartAsync(soundsDirectory: _sounds);

        Assert.Null(await m.BlackList.UpdateSettingsAsync(new BlackListSettings { Action = BlockAction.Busy, Sound = "custom/later" }, CancellationToken.None));
    }

    [Fact]
    public async Task When_the_sounds_directory_cannot_be_read_a_valid_name_is_accepted_with_a_warning_that_says_so()
    {
        var elsewhere = Path.Combine(_sounds, "not-here");
        await using var m = await BlackListHost.StartAsync(soundsDirectory: elsewhere);

        Assert.Null(await m.BlackList.UpdateSettingsAsync(PlaySound("custom/you-are-blocked"), CancellationToken.None));

        var warning = Assert.Single(m.Logs.AtLeast(LogLevel.Warning));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("'custom/you-are-blocked' was saved without checking", warning.Message, StringComparison.Ordinal);
        Assert.Contains(elsewhere, warning.Message, StringComparison.Ordinal);
        Assert.Contains("SoundsDirectory", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    public async Task A_hang_up_cause_outside_Q850_is_refused(int cause)
    {
        await using var m = await BlackListHost.StartAsync();

        var errors = await m.BlackList.UpdateSettingsAsync(new BlackListSettings { HangupCause = cause }, CancellationToken.None);

        Assert.Contains("hangupCause", errors!.Keys);
    }
}
