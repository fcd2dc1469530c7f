namespace PbxModules.Sdk.Agi;

// The SAY * commands: digits, numbers, letters, dates and times.
public static partial class AgiChannelExtensions
{
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

    private static async Task<char?> SayAsync(IAgiChannel channel, string command, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(channel, command, failOnMinusOne: true, cancellationToken).ConfigureAwait(false);
        return ToDigit(reply.Result);
    }
}
