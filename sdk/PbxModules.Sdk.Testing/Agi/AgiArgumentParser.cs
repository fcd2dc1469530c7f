using System.Text;

namespace PbxModules.Sdk.Testing.Agi;

/// <summary>
/// Splits an AGI command line into words exactly as Asterisk does (<c>parse_args</c> in res_agi.c):
/// spaces and tabs separate words, double quotes group them (and start a word, even an empty one),
/// a backslash makes the next character literal, and at most 127 words are kept. Use it to check what
/// Asterisk will make of a command your code sends.
/// </summary>
public static class AgiArgumentParser
{
    private const int MaxArgs = 128;

    /// <summary>Returns the words Asterisk would see in <paramref name="line"/> (without its newline).</summary>
    public static IReadOnlyList<string> Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, escaped = false, whitespace = true, inWord = false;
        foreach (var c in line)
        {
            // parse_args stops at the string's NUL terminator.
            if (c == '\0') break;
            var normal = false;
            switch (c)
            {
                case '"':
                    if (escaped)
                    {
                        normal = true;
                        break;
                    }
                    quoted = !quoted;
                    if (quoted && whitespace)
                    {
                        // Starting a quote off white space starts a word, so "" is an empty argument.
                        Flush();
                        inWord = true;
                        whitespace = false;
                    }
                    escaped = false;
                    break;
                case ' ':
                case '\t':
                    if (!quoted && !escaped) whitespace = true;
                    else normal = true;
                    break;
                case '\\':
                    if (escaped) normal = true;
                    else escaped = true;
                    break;
                default:
                    normal = true;
                    break;
            }
            if (!normal) continue;
            if (whitespace)
            {
                if (words.Count + (inWord ? 1 : 0) >= MaxArgs - 1) continue; // "Too many arguments, truncating"
                Flush();
                inWord = true;
                whitespace = false;
            }
            current.Append(c);
            escaped = false;
        }
        Flush();
        return words;

        void Flush()
        {
            if (inWord) words.Add(current.ToString());
            current.Clear();
            inWord = false;
        }
    }
}
