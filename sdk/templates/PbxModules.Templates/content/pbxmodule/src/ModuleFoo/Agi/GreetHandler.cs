using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModuleFoo.Data;
using ModuleFoo.Settings;
using PbxModules.Sdk.Agi;

namespace ModuleFoo.Agi;

/// <summary>
/// <c>AGI(agi://…/module-foo/greet,${ARG1})</c>, run by <see cref="Dialplan.FooDialplan"/> on every incoming
/// call: plays the caller's own greeting if one is stored and has not expired, else the configured
/// <see cref="FooOptions.DefaultSound"/>. Sets <c>FOO_GREETING</c> to the sound before it plays
/// anything, so the dialplan knows what was chosen even when the caller hangs up during playback.
/// </summary>
/// <remarks>
/// A new instance (and a new <see cref="FooDbContext"/>) is made for every call. The caller hears
/// silence while this runs, so it does one indexed read and nothing else with the database.
/// </remarks>
[AgiHandler(Dialplan.FooDialplan.GreetRoute)]
public sealed partial class GreetHandler(
    FooDbContext db,
    IOptionsMonitor<FooOptions> options,
    TimeProvider time,
    ILogger<GreetHandler> logger) : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var caller = channel.Request.CallerId;
        var now = time.GetUtcNow().UtcDateTime;
        var own = await db.Greetings.AsNoTracking()
            .Where(g => g.CallerId == caller && (g.ExpiresAt == null || g.ExpiresAt > now))
            .Select(g => g.Sound)
            .FirstOrDefaultAsync(cancellationToken);
        var sound = own ?? options.CurrentValue.DefaultSound;

        await channel.SetVariableAsync("FOO_GREETING", sound, cancellationToken);
        // A greeting is played to an answered channel: the caller hears it as the start of the call, not as early media some trunks drop.
        await channel.AnswerAsync(cancellationToken);
        try
        {
            await channel.StreamFileAsync(sound, cancellationToken: cancellationToken);
        }
        catch (AgiCommandException ex)
        {
            // Asterisk answers -1 for a sound it does not have; the call still goes on to ring.
            LogSoundMissing(logger, sound, ex.Reply.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Greeting sound {Sound} could not be played ({Reply}): is it installed in Asterisk's sounds folder?")]
    private static partial void LogSoundMissing(ILogger logger, string sound, string reply);
}
