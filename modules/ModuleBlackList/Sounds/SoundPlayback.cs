using PbxModules.Sdk.Agi;

namespace ModuleBlackList.Sounds;

/// <summary>Plays a sound for a handler that can do without it.</summary>
internal static class SoundPlayback
{
    /// <summary>
    /// Plays <paramref name="sound"/> (<c>STREAM FILE</c>); false when Asterisk does not have it
    /// (<c>200 result=-1 endpos=0</c>, the channel still up: fixture <c>fastagi_missing_sound</c>), which is
    /// reported, rate-limited, and is not an error of the handler. A hang-up still ends the handler.
    /// </summary>
    public static async Task<bool> TryPlayAsync(IAgiChannel channel, string sound, MissingSoundReporter missing, string purpose, CancellationToken cancellationToken)
    {
        try
        {
            await channel.StreamFileAsync(sound, "", cancellationToken: cancellationToken);
            return true;
        }
        catch (AgiCommandException ex) when (ex.Reply is { StatusCode: 200, Result: -1 } && !channel.IsHungUp)
        {
            missing.Report(sound, purpose, ex.Reply.ToString());
            return false;
        }
    }
}
