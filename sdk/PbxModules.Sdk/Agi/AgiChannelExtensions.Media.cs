namespace PbxModules.Sdk.Agi;

// Sound and DTMF: playback (STREAM FILE, CONTROL STREAM FILE, GET OPTION), digit collection (GET DATA, WAIT FOR DIGIT), recording.
public static partial class AgiChannelExtensions
{
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
}
