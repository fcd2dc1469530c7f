namespace PbxModules.Sdk.Agi;

// Channel control: answer, hang up, run an application, status, caller id, where the call goes next, music on hold, verbose, noop.
public static partial class AgiChannelExtensions
{
    /// <summary>Answers the channel (<c>ANSWER</c>).</summary>
    public static async Task AnswerAsync(this IAgiChannel channel, CancellationToken cancellationToken = default)
        => await RunAsync(channel, "ANSWER", failOnMinusOne: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Hangs up this channel, or the named one (<c>HANGUP [channel]</c>).</summary>
    /// <returns>True when the channel was hung up; false when no channel has that name.</returns>
    public static async Task<bool> HangupAsync(this IAgiChannel channel, string? channelName = null, CancellationToken cancellationToken = default)
    {
        var command = channelName is null ? "HANGUP" : AgiCommandLine.Build("HANGUP", channelName);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1;
    }

    /// <summary>Runs a dialplan application (<c>EXEC</c>), e.g. <c>ExecAsync("Playback", "beep")</c>.</summary>
    /// <param name="channel">The session.</param>
    /// <param name="application">The application name.</param>
    /// <param name="arguments">Its argument string as in the dialplan (commas separate), sent as one AGI argument.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The application's return value; <c>-2</c> when Asterisk has no such application.</returns>
    public static async Task<int> ExecAsync(this IAgiChannel channel, string application, string? arguments = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(application);
        var command = string.IsNullOrEmpty(arguments)
            ? AgiCommandLine.Build("EXEC", application)
            : AgiCommandLine.Build("EXEC", application, arguments);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return (int)reply.Result;
    }

    /// <summary>Logs a message to Asterisk's verbose log (<c>VERBOSE</c>) at a level from 1 to 4.</summary>
    public static async Task VerboseAsync(this IAgiChannel channel, string message, int level = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        await RunAsync(channel, AgiCommandLine.Build("VERBOSE", message, level.ToString(Invariant)), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports the state of this channel or a named one (<c>CHANNEL STATUS</c>).</summary>
    /// <returns>The state; <see cref="AgiChannelStatus.NotFound"/> when no channel has that name.</returns>
    public static async Task<AgiChannelStatus> GetChannelStatusAsync(this IAgiChannel channel, string? channelName = null, CancellationToken cancellationToken = default)
    {
        var command = channelName is null ? "CHANNEL STATUS" : AgiCommandLine.Build("CHANNEL STATUS", channelName);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result < 0 ? AgiChannelStatus.NotFound : (AgiChannelStatus)reply.Result;
    }

    /// <summary>Sets the caller id (<c>SET CALLERID</c>), e.g. <c>"Alice" &lt;100&gt;</c> or a bare number.</summary>
    public static async Task SetCallerIdAsync(this IAgiChannel channel, string callerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callerId);
        await RunAsync(channel, AgiCommandLine.Build("SET CALLERID", callerId), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the context to continue in when the AGI ends (<c>SET CONTEXT</c>).</summary>
    public static async Task SetContextAsync(this IAgiChannel channel, string context, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(context);
        await RunAsync(channel, AgiCommandLine.Build("SET CONTEXT", context), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the extension to continue at when the AGI ends (<c>SET EXTENSION</c>).</summary>
    public static async Task SetExtensionAsync(this IAgiChannel channel, string extension, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(extension);
        await RunAsync(channel, AgiCommandLine.Build("SET EXTENSION", extension), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the priority (a number or a label) to continue at when the AGI ends (<c>SET PRIORITY</c>).</summary>
    public static async Task SetPriorityAsync(this IAgiChannel channel, string priorityOrLabel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(priorityOrLabel);
        await RunAsync(channel, AgiCommandLine.Build("SET PRIORITY", priorityOrLabel), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the priority to continue at when the AGI ends (<c>SET PRIORITY</c>).</summary>
    public static Task SetPriorityAsync(this IAgiChannel channel, int priority, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        return channel.SetPriorityAsync(priority.ToString(Invariant), cancellationToken);
    }

    /// <summary>Starts or stops music on hold (<c>SET MUSIC on|off [class]</c>).</summary>
    public static async Task SetMusicAsync(this IAgiChannel channel, bool on, string? musicClass = null, CancellationToken cancellationToken = default)
    {
        var state = on ? "on" : "off";
        var command = musicClass is null ? AgiCommandLine.Build("SET MUSIC", state) : AgiCommandLine.Build("SET MUSIC", state, musicClass);
        await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hangs the channel up after this long (<c>SET AUTOHANGUP</c>); <see cref="TimeSpan.Zero"/> cancels it.</summary>
    public static async Task SetAutoHangupAsync(this IAgiChannel channel, TimeSpan after, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(after, TimeSpan.Zero);
        var seconds = after.TotalSeconds.ToString("0.###", Invariant);
        await RunAsync(channel, AgiCommandLine.Build("SET AUTOHANGUP", seconds), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Does nothing (<c>NOOP</c>); a cheap way to check the channel still answers.</summary>
    public static async Task NoopAsync(this IAgiChannel channel, CancellationToken cancellationToken = default)
        => await RunAsync(channel, "NOOP", failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
}
