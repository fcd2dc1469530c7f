using System.Text;
using System.Text.RegularExpressions;

namespace PbxModules.Sdk.Dialplan;

/// <summary>
/// Validation and escaping of the pieces of a dialplan line. Asterisk's config parser treats
/// <c>;</c> as the start of a comment and a line break as the end of the line, and an application
/// splits its arguments at top-level commas, so values are escaped (or refused) before rendering.
/// </summary>
public static partial class DialplanText
{
    /// <summary>True for a context name Asterisk accepts: letters, digits, <c>-</c> and <c>_</c>.</summary>
    public static bool IsValidContextName(string? name) => name is { Length: > 0 and <= 79 } && ContextName().IsMatch(name);

    /// <summary>True for an application name: a letter then letters, digits or <c>_</c>.</summary>
    public static bool IsValidApplication(string? name) => name is { Length: > 0 and <= 79 } && ApplicationName().IsMatch(name);

    /// <summary>
    /// True for an extension: a literal (<c>100</c>, <c>*30</c>, <c>s</c>, <c>h</c>) or a pattern
    /// (<c>_X.</c>, <c>_*30X.</c>, <c>_[2-9]XX</c>).
    /// </summary>
    public static bool IsValidExtension(string? extension)
    {
        if (string.IsNullOrEmpty(extension) || extension.Length > 79) return false;
        if (extension[0] == '_') return extension.Length > 1 && Pattern().IsMatch(extension[1..]) && BracketsBalanced(extension);
        return Literal().IsMatch(extension);
    }

    /// <summary>True for a label: letters, digits and <c>_</c>, <c>-</c>.</summary>
    public static bool IsValidLabel(string? label) => label is { Length: > 0 and <= 79 } && LabelName().IsMatch(label);

    /// <summary>
    /// Escapes one application argument: <c>;</c> becomes <c>\;</c>, and a comma outside <c>${…}</c>,
    /// <c>$[…]</c> and parentheses becomes <c>\,</c> so it stays inside this argument. Variable and
    /// expression references are kept as written, so <c>${CALLERID(num)}</c> still expands.
    /// </summary>
    /// <exception cref="ArgumentException">The value contains a line break or NUL, which could end the line.</exception>
    public static string EscapeArgument(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureSingleLine(value, nameof(value));
        var sb = new StringBuilder(value.Length + 4);
        var depth = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\' when i + 1 < value.Length:
                    // Keep an author's explicit escape as it is.
                    sb.Append(c).Append(value[++i]);
                    continue;
                case ';':
                    sb.Append("\\;");
                    continue;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    if (depth > 0) depth--;
                    break;
                case ',' when depth == 0:
                    sb.Append("\\,");
                    continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Throws when the value contains CR, LF or NUL.</summary>
    public static void EnsureSingleLine(string value, string paramName)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException("Dialplan text must not contain a line break or NUL: it would end the line and inject another.", paramName);
    }

    private static bool BracketsBalanced(string s)
    {
        var open = false;
        foreach (var c in s)
        {
            if (c == '[') { if (open) return false; open = true; }
            else if (c == ']') { if (!open) return false; open = false; }
        }
        return !open;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")] private static partial Regex ContextName();
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")] private static partial Regex ApplicationName();
    [GeneratedRegex(@"^[A-Za-z0-9*#+_-]+$")] private static partial Regex Literal();
    [GeneratedRegex(@"^[0-9A-Za-z*#+\-\[\]\.!]+$")] private static partial Regex Pattern();
    [GeneratedRegex("^[A-Za-z0-9_-]+$")] private static partial Regex LabelName();
}
