namespace PbxModules.Sdk.Agi;

/// <summary>
/// Builds AGI command lines that Asterisk splits back into exactly the arguments given. Asterisk's
/// parser (<c>parse_args</c> in res_agi.c) separates words on spaces and tabs, groups words in double
/// quotes, and takes the character after a backslash literally. A value is therefore sent bare when it
/// has none of those characters (so <c>SET VARIABLE BLACKLISTED 1</c> reads as in Asterisk's own
/// examples), and otherwise in double quotes with <c>"</c> and <c>\</c> escaped. CR, LF and NUL are
/// refused: a line break would end the command and start another one.
/// </summary>
public static class AgiCommandLine
{
    /// <summary>Returns <paramref name="value"/> as one AGI argument: bare, or quoted and escaped.</summary>
    /// <exception cref="ArgumentException">The value contains CR, LF or NUL.</exception>
    public static string Quote(string value)
    {
        EnsureSingleLine(value, nameof(value));
        if (!NeedsQuotes(value)) return value;
        var length = QuotedLength(value);
        Span<char> buffer = length <= 256 ? stackalloc char[length] : new char[length];
        AppendArgument(buffer, value);
        return new string(buffer);
    }

    /// <summary>
    /// Builds a command line: the command words as given (<c>SET VARIABLE</c>), then each argument
    /// quoted by <see cref="Quote"/>.
    /// </summary>
    /// <param name="command">The command words, e.g. <c>DATABASE PUT</c>; must not need quoting.</param>
    /// <param name="arguments">The arguments, in order. An empty string is sent as <c>""</c>.</param>
    /// <exception cref="ArgumentException">An argument or the command contains CR, LF or NUL.</exception>
    public static string Build(string command, params ReadOnlySpan<string> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        EnsureSingleLine(command, nameof(command));
        var length = command.Length;
        foreach (var argument in arguments)
        {
            ArgumentNullException.ThrowIfNull(argument, nameof(arguments));
            EnsureSingleLine(argument, nameof(arguments));
            length += 1 + (NeedsQuotes(argument) ? QuotedLength(argument) : argument.Length);
        }
        // Measured first, written once: the line is the only allocation.
        Span<char> buffer = length <= 512 ? stackalloc char[length] : new char[length];
        command.CopyTo(buffer);
        var position = command.Length;
        foreach (var argument in arguments)
        {
            buffer[position++] = ' ';
            position += AppendArgument(buffer[position..], argument);
        }
        return new string(buffer);
    }

    /// <summary>Throws when <paramref name="line"/> contains CR, LF or NUL, which would end or corrupt an AGI command.</summary>
    /// <exception cref="ArgumentException">The text contains CR, LF or NUL.</exception>
    public static void EnsureSingleLine(string line, string paramName)
    {
        ArgumentNullException.ThrowIfNull(line, paramName);
        if (line.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException(
                "An AGI command or argument must not contain CR, LF or NUL: a line break would end the command and let the rest run as a second command.",
                paramName);
    }

    private static bool NeedsQuotes(string value) => value.Length == 0 || value.AsSpan().IndexOfAny(" \t\"\\") >= 0;

    private static int QuotedLength(string value)
        => 2 + value.Length + value.AsSpan().Count('"') + value.AsSpan().Count('\\');

    // Writes the argument, bare or quoted; returns the characters written.
    private static int AppendArgument(Span<char> destination, string value)
    {
        if (!NeedsQuotes(value))
        {
            value.CopyTo(destination);
            return value.Length;
        }
        var n = 0;
        destination[n++] = '"';
        foreach (var c in value)
        {
            // Inside quotes only the quote itself and the backslash are special to parse_args.
            if (c is '"' or '\\') destination[n++] = '\\';
            destination[n++] = c;
        }
        destination[n++] = '"';
        return n;
    }
}
