using System.Globalization;
using System.Runtime.CompilerServices;

namespace PbxModules.Sdk.Agi;

/// <summary>
/// The AGI commands as typed async methods. Every argument is quoted with <see cref="AgiCommandLine"/>,
/// so no value can split a command or inject another one.
/// </summary>
/// <remarks>
/// Errors are exceptions, consistently: <c>511</c> (dead channel) throws <see cref="AgiHangupException"/>;
/// <c>510</c> and <c>520</c> throw <see cref="AgiCommandException"/>. A <c>200 result=-1</c>, which Asterisk
/// uses for "this failed" (a missing sound file, a channel going away), throws
/// <see cref="AgiHangupException"/> when the channel is already known to be hung up and
/// <see cref="AgiCommandException"/> otherwise, except where -1 has a documented meaning of its own
/// (<see cref="HangupAsync"/> of a named channel, <see cref="GetChannelStatusAsync"/>, <see cref="RecordFileAsync"/> on hang-up).
/// </remarks>
public static class AgiChannelExtensions
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

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

    /// <summary>Reads a channel variable or function (<c>GET VARIABLE</c>), e.g. <c>CALLERID(num)</c>.</summary>
    /// <returns>The value (empty when set to nothing, and for functions that return nothing); null when the variable is not set.</returns>
    public static async Task<string?> GetVariableAsync(this IAgiChannel channel, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var reply = await RunAsync(channel, AgiCommandLine.Build("GET VARIABLE", name), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1 ? reply.Data ?? string.Empty : null;
    }

    /// <summary>Evaluates an expression as the dialplan would (<c>GET FULL VARIABLE</c>), e.g. <c>${CALLERID(num)}</c>.</summary>
    /// <param name="channel">The session.</param>
    /// <param name="expression">The expression, with <c>${…}</c> references.</param>
    /// <param name="channelName">Evaluate on this channel instead of the current one.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The evaluated text; null when <paramref name="channelName"/> names no channel.</returns>
    public static async Task<string?> GetFullVariableAsync(this IAgiChannel channel, string expression, string? channelName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(expression);
        var command = channelName is null
            ? AgiCommandLine.Build("GET FULL VARIABLE", expression)
            : AgiCommandLine.Build("GET FULL VARIABLE", expression, channelName);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1 ? reply.Data ?? string.Empty : null;
    }

    /// <summary>Sets a channel variable (<c>SET VARIABLE</c>). Works on a dead channel too in Asterisk, but this SDK refuses commands after <c>HANGUP</c>.</summary>
    public static async Task SetVariableAsync(this IAgiChannel channel, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        await RunAsync(channel, AgiCommandLine.Build("SET VARIABLE", name, value), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Plays a sound file, interruptible by the escape digits (<c>STREAM FILE</c>).</summary>
    /// <param name="channel">The session.</param>
    /// <param name="file">The file name without extension, e.g. <c>beep</c>.</param>
    /// <param name="escapeDigits">Digits that stop playback, e.g. <c>"0123456789#"</c>; empty for none.</param>
    /// <param name="offset">Start at this sample offset.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<AgiPlaybackResult> StreamFileAsync(this IAgiChannel channel, string file, string escapeDigits = "", long? offset = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(escapeDigits);
        var command = offset is null
            ? AgiCommandLine.Build("STREAM FILE", file, escapeDigits)
            : AgiCommandLine.Build("STREAM FILE", file, escapeDigits, offset.Value.ToString(Invariant));
        var reply = await RunAsync(channel, command, failOnMinusOne: true, cancellationToken).ConfigureAwait(false);
        return new AgiPlaybackResult(ToDigit(reply.Result), EndPosition(reply));
    }

    /// <summary>Plays a sound file the caller can pause, skip and rewind (<c>CONTROL STREAM FILE</c>).</summary>
    /// <param name="channel">The session.</param>
    /// <param name="file">The file name without extension.</param>
    /// <param name="escapeDigits">Digits that stop playback; empty for none.</param>
    /// <param name="skip">How far forward/rewind jump (Asterisk's default: 3 s).</param>
    /// <param name="forwardDigit">The fast-forward key (default <c>#</c>).</param>
    /// <param name="rewindDigit">The rewind key (default <c>*</c>).</param>
    /// <param name="pauseDigit">The pause key (default: none).</param>
    /// <param name="offset">Start this far into the file.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<AgiPlaybackResult> ControlStreamFileAsync(
        this IAgiChannel channel, string file, string escapeDigits = "", TimeSpan? skip = null,
        char? forwardDigit = null, char? rewindDigit = null, char? pauseDigit = null, TimeSpan? offset = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(escapeDigits);
        // The optional arguments are positional: giving a later one means sending every earlier one,
        // so the unset ones are filled with Asterisk's own defaults.
        var args = new List<string>(7) { file, escapeDigits };
        var optional = new string?[]
        {
            skip is null ? null : Milliseconds(skip.Value),
            forwardDigit?.ToString(),
            rewindDigit?.ToString(),
            pauseDigit?.ToString(),
            offset is null ? null : Milliseconds(offset.Value),
        };
        var defaults = new[] { "3000", "#", "*", "", "0" };
        var last = Array.FindLastIndex(optional, o => o is not null);
        for (var i = 0; i <= last; i++) args.Add(optional[i] ?? defaults[i]);
        var reply = await RunAsync(channel, AgiCommandLine.Build("CONTROL STREAM FILE", [.. args]), failOnMinusOne: true, cancellationToken).ConfigureAwait(false);
        return new AgiPlaybackResult(ToDigit(reply.Result), EndPosition(reply));
    }

    /// <summary>Plays a prompt and collects digits (<c>GET DATA</c>).</summary>
    /// <param name="channel">The session.</param>
    /// <param name="file">The prompt to play.</param>
    /// <param name="timeout">How long to wait for each digit after the prompt (null: Asterisk's default).</param>
    /// <param name="maxDigits">Stop after this many digits (null: no limit).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<AgiGetDataResult> GetDataAsync(this IAgiChannel channel, string file, TimeSpan? timeout = null, int? maxDigits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        if (maxDigits is < 1) throw new ArgumentOutOfRangeException(nameof(maxDigits), "At least one digit.");
        string command;
        if (maxDigits is not null)
            command = AgiCommandLine.Build("GET DATA", file, timeout is null ? "0" : Milliseconds(timeout.Value), maxDigits.Value.ToString(Invariant));
        else if (timeout is not null)
            command = AgiCommandLine.Build("GET DATA", file, Milliseconds(timeout.Value));
        else
            command = AgiCommandLine.Build("GET DATA", file);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        var digits = reply.ResultToken;
        if (digits == "-1") FailOnMinusOne(channel, command, reply);
        return new AgiGetDataResult(digits, string.Equals(reply.Data, "timeout", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Plays a file and waits for one of the escape digits (<c>GET OPTION</c>).</summary>
    /// <param name="channel">The session.</param>
    /// <param name="file">The prompt to play.</param>
    /// <param name="escapeDigits">Digits accepted.</param>
    /// <param name="timeout">How long to wait after the prompt (null: the dialplan's digit timeout).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<AgiPlaybackResult> GetOptionAsync(this IAgiChannel channel, string file, string escapeDigits, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(escapeDigits);
        var command = timeout is null
            ? AgiCommandLine.Build("GET OPTION", file, escapeDigits)
            : AgiCommandLine.Build("GET OPTION", file, escapeDigits, Milliseconds(timeout.Value));
        var reply = await RunAsync(channel, command, failOnMinusOne: true, cancellationToken).ConfigureAwait(false);
        return new AgiPlaybackResult(ToDigit(reply.Result), EndPosition(reply));
    }

    /// <summary>Says a string of digits (<c>SAY DIGITS</c>).</summary>
    /// <returns>The escape digit pressed, or null.</returns>
    public static Task<char?> SayDigitsAsync(this IAgiChannel channel, string digits, string escapeDigits = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(digits);
        return SayAsync(channel, AgiCommandLine.Build("SAY DIGITS", digits, escapeDigits), cancellationToken);
    }

    /// <summary>Says a number (<c>SAY NUMBER</c>), optionally with a grammatical gender (<c>f</c>, <c>m</c>, <c>c</c>, <c>n</c>).</summary>
    /// <returns>The escape digit pressed, or null.</returns>
    public static Task<char?> SayNumberAsync(this IAgiChannel channel, long number, string escapeDigits = "", string? gender = null, CancellationToken cancellationToken = default)
    {
        var n = number.ToString(Invariant);
        return SayAsync(channel, gender is null
            ? AgiCommandLine.Build("SAY NUMBER", n, escapeDigits)
            : AgiCommandLine.Build("SAY NUMBER", n, escapeDigits, gender), cancellationToken);
    }

    /// <summary>Says a string character by character (<c>SAY ALPHA</c>).</summary>
    /// <returns>The escape digit pressed, or null.</returns>
    public static Task<char?> SayAlphaAsync(this IAgiChannel channel, string text, string escapeDigits = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return SayAsync(channel, AgiCommandLine.Build("SAY ALPHA", text, escapeDigits), cancellationToken);
    }

    /// <summary>Says a string with the phonetic alphabet (<c>SAY PHONETIC</c>).</summary>
    /// <returns>The escape digit pressed, or null.</returns>
    public static Task<char?> SayPhoneticAsync(this IAgiChannel channel, string text, string escapeDigits = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return SayAsync(channel, AgiCommandLine.Build("SAY PHONETIC", text, escapeDigits), cancellationToken);
    }

    /// <summary>Says the date of an instant (<c>SAY DATE</c>).</summary>
    /// <returns>The escape digit pressed, or null.</returns>
    public static Task<char?> SayDateAsync(this IAgiChannel channel, DateTimeOffset date, string escapeDigits = "", CancellationToken cancellationToken = default)
        => SayAsync(channel, AgiCommandLine.Build("SAY DATE", UnixSeconds(date), escapeDigits), cancellationToken);

    /// <summary>Says the time of an instant (<c>SAY TIME</c>).</summary>
    /// <returns>The escape digit pressed, or null.</returns>
    public static Task<char?> SayTimeAsync(this IAgiChannel channel, DateTimeOffset time, string escapeDigits = "", CancellationToken cancellationToken = default)
        => SayAsync(channel, AgiCommandLine.Build("SAY TIME", UnixSeconds(time), escapeDigits), cancellationToken);

    /// <summary>Says an instant in a format (<c>SAY DATETIME</c>).</summary>
    /// <param name="channel">The session.</param>
    /// <param name="time">The instant.</param>
    /// <param name="escapeDigits">Digits that interrupt.</param>
    /// <param name="format">A voicemail.conf-style format (null: Asterisk's <c>ABdY 'digits/at' IMp</c>).</param>
    /// <param name="timeZone">A zoneinfo name such as <c>Europe/Paris</c> (null: the system's).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The escape digit pressed, or null.</returns>
    public static Task<char?> SayDateTimeAsync(this IAgiChannel channel, DateTimeOffset time, string escapeDigits = "", string? format = null, string? timeZone = null, CancellationToken cancellationToken = default)
    {
        var t = UnixSeconds(time);
        string command;
        if (timeZone is not null) command = AgiCommandLine.Build("SAY DATETIME", t, escapeDigits, format ?? "ABdY 'digits/at' IMp", timeZone);
        else if (format is not null) command = AgiCommandLine.Build("SAY DATETIME", t, escapeDigits, format);
        else command = AgiCommandLine.Build("SAY DATETIME", t, escapeDigits);
        return SayAsync(channel, command, cancellationToken);
    }

    /// <summary>Reads an AstDB entry (<c>DATABASE GET</c>).</summary>
    /// <returns>The value; null when the entry does not exist.</returns>
    public static async Task<string?> DatabaseGetAsync(this IAgiChannel channel, string family, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var reply = await RunAsync(channel, AgiCommandLine.Build("DATABASE GET", family, key), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1 ? reply.Data ?? string.Empty : null;
    }

    /// <summary>Adds or updates an AstDB entry (<c>DATABASE PUT</c>).</summary>
    /// <exception cref="AgiCommandException">Asterisk could not store it (<c>result=0</c>).</exception>
    public static async Task DatabasePutAsync(this IAgiChannel channel, string family, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        var command = AgiCommandLine.Build("DATABASE PUT", family, key, value);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        if (reply.Result != 1) throw new AgiCommandException(command, reply);
    }

    /// <summary>Removes an AstDB entry (<c>DATABASE DEL</c>).</summary>
    /// <returns>True when it existed and was removed.</returns>
    public static async Task<bool> DatabaseDeleteAsync(this IAgiChannel channel, string family, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var reply = await RunAsync(channel, AgiCommandLine.Build("DATABASE DEL", family, key), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1;
    }

    /// <summary>Removes an AstDB family, or a key tree within it (<c>DATABASE DELTREE</c>).</summary>
    /// <returns>True when something was removed.</returns>
    public static async Task<bool> DatabaseDeleteTreeAsync(this IAgiChannel channel, string family, string? keyTree = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        var command = keyTree is null
            ? AgiCommandLine.Build("DATABASE DELTREE", family)
            : AgiCommandLine.Build("DATABASE DELTREE", family, keyTree);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1;
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

    /// <summary>Waits for the caller to press a key (<c>WAIT FOR DIGIT</c>).</summary>
    /// <param name="channel">The session.</param>
    /// <param name="timeout">How long to wait; null waits until a key or a hang-up.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The key, or null on time-out.</returns>
    public static async Task<char?> WaitForDigitAsync(this IAgiChannel channel, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var command = AgiCommandLine.Build("WAIT FOR DIGIT", timeout is null ? "-1" : Milliseconds(timeout.Value));
        var reply = await RunAsync(channel, command, failOnMinusOne: true, cancellationToken).ConfigureAwait(false);
        return ToDigit(reply.Result);
    }

    /// <summary>Records the caller to a file (<c>RECORD FILE</c>).</summary>
    /// <param name="channel">The session.</param>
    /// <param name="file">The file name without extension.</param>
    /// <param name="format">The format (extension), e.g. <c>wav</c>.</param>
    /// <param name="escapeDigits">Digits that stop recording.</param>
    /// <param name="timeout">The maximum length; null for none.</param>
    /// <param name="offsetSamples">Append from this sample offset.</param>
    /// <param name="beep">Play a beep first.</param>
    /// <param name="silence">Stop after this much silence.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<AgiRecordResult> RecordFileAsync(
        this IAgiChannel channel, string file, string format, string escapeDigits = "#", TimeSpan? timeout = null,
        long? offsetSamples = null, bool beep = false, TimeSpan? silence = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentException.ThrowIfNullOrEmpty(format);
        ArgumentNullException.ThrowIfNull(escapeDigits);
        var args = new List<string>(7) { file, format, escapeDigits, timeout is null ? "-1" : Milliseconds(timeout.Value) };
        // The offset is positional: give it (0) whenever BEEP or a silence limit follows, as Asterisk's
        // own usage (RECORD FILE file wav # 30000 0 BEEP s=3) does.
        if (offsetSamples is not null || beep || silence is not null) args.Add((offsetSamples ?? 0).ToString(Invariant));
        if (beep) args.Add("BEEP");
        if (silence is not null) args.Add("s=" + ((long)Math.Ceiling(silence.Value.TotalSeconds)).ToString(Invariant));
        var command = AgiCommandLine.Build("RECORD FILE", [.. args]);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        var reason = reply.Data?.ToLowerInvariant() switch
        {
            "timeout" => AgiRecordEnd.Timeout,
            "dtmf" => AgiRecordEnd.Dtmf,
            "hangup" => AgiRecordEnd.Hangup,
            "writefile" => AgiRecordEnd.WriteError,
            _ => AgiRecordEnd.Unknown,
        };
        // A hang-up ends a recording normally (the caller is done talking); any other -1 is a failure.
        if (reason is AgiRecordEnd.WriteError || (reply.Result < 0 && reason is not AgiRecordEnd.Hangup))
            FailOnMinusOne(channel, command, reply);
        return new AgiRecordResult(reason == AgiRecordEnd.Dtmf ? ToDigit(reply.Result) : null, reason, EndPosition(reply));
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

    private static async Task<char?> SayAsync(IAgiChannel channel, string command, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(channel, command, failOnMinusOne: true, cancellationToken).ConfigureAwait(false);
        return ToDigit(reply.Result);
    }

    // Pooled: every typed command goes through here, and its state machine would otherwise be boxed.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<AgiReply> RunAsync(IAgiChannel channel, string command, bool failOnMinusOne, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var reply = await channel.SendCommandAsync(command, cancellationToken).ConfigureAwait(false);
        switch (reply.StatusCode)
        {
            case 200:
                if (failOnMinusOne && reply.Result < 0) FailOnMinusOne(channel, command, reply);
                return reply;
            case 511:
                throw new AgiHangupException($"AGI command '{command}' was refused because the caller has hung up (Asterisk answered 511: {reply.Text}).", channel.HangupToken);
            default:
                throw new AgiCommandException(command, reply);
        }
    }

    private static void FailOnMinusOne(IAgiChannel channel, string command, AgiReply reply)
    {
        if (channel.IsHungUp)
            throw new AgiHangupException($"AGI command '{command}' failed ('{reply}') because the caller hung up.", channel.HangupToken);
        throw new AgiCommandException(command, reply);
    }

    // Playback and DTMF commands report the key pressed as its character code, 0 for none.
    private static char? ToDigit(long result) => result is > 0 and < 128 ? (char)result : null;

    private static long EndPosition(AgiReply reply)
        => long.TryParse(reply.GetExtra("endpos"), NumberStyles.Integer, Invariant, out var v) ? v : 0;

    private static string Milliseconds(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(Invariant);

    private static string UnixSeconds(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(Invariant);
}
