using System.Buffers.Text;
using System.Text;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Parsing;

/// <summary>
/// Parses the lines Asterisk sends after the environment: <c>200 result=N [(data)] [key=value...]</c>,
/// single-line <c>510</c>/<c>511</c>/<c>520</c>, multi-line <c>520-</c>…<c>520 End of proper usage.</c>,
/// and the unsolicited <c>HANGUP</c>. A reply costs a string only for its data, extra and error text.
/// </summary>
internal sealed class AgiReplyParser
{
    private readonly int _maxReplyLength;
    private int _multiLineCode;
    private byte[]? _text;
    private int _textLength;
    private int _textLines;

    /// <summary>Creates a parser that refuses a multi-line reply longer than <paramref name="maxReplyLength"/> bytes.</summary>
    public AgiReplyParser(int maxReplyLength) => _maxReplyLength = maxReplyLength;

    /// <summary>True while a multi-line reply has started but not ended.</summary>
    public bool InMultiLineReply => _multiLineCode != 0;

    /// <summary>Consumes one line (without its newline).</summary>
    /// <exception cref="AgiProtocolException">The line is not AGI.</exception>
    public AgiLineKind ParseLine(ReadOnlySpan<byte> line, out AgiReply reply)
    {
        reply = default;
        if (_multiLineCode != 0)
        {
            if (line.Length >= 3 && StatusCode(line) == _multiLineCode && (line.Length == 3 || line[3] == (byte)' '))
            {
                AppendText(line.Length > 4 ? line[4..] : default);
                reply = new AgiReply(_multiLineCode, 0, null, null, TakeText());
                _multiLineCode = 0;
                return AgiLineKind.Reply;
            }
            AppendText(line);
            return AgiLineKind.Partial;
        }

        if (line.SequenceEqual("HANGUP"u8)) return AgiLineKind.Hangup;

        var code = line.Length >= 3 ? StatusCode(line) : -1;
        if (code < 0) throw new AgiProtocolException($"expected an AGI reply ('200 result=...') or HANGUP, got '{AgiEnvironmentParser.Excerpt(line)}'");
        if (line.Length == 3)
        {
            reply = new AgiReply(code, 0, null, null, code == 200 ? null : string.Empty);
            return AgiLineKind.Reply;
        }
        var rest = line[4..];
        switch (line[3])
        {
            case (byte)'-':
                _multiLineCode = code;
                _textLength = 0;
                _textLines = 0;
                AppendText(rest);
                return AgiLineKind.Partial;
            case (byte)' ':
                reply = code == 200 ? ParseSuccess(rest) : new AgiReply(code, 0, null, null, Encoding.UTF8.GetString(rest));
                return AgiLineKind.Reply;
            default:
                throw new AgiProtocolException($"expected an AGI reply ('200 result=...') or HANGUP, got '{AgiEnvironmentParser.Excerpt(line)}'");
        }
    }

    /// <summary>Drops a half-read multi-line reply.</summary>
    public void Reset()
    {
        _multiLineCode = 0;
        _textLength = 0;
        _textLines = 0;
    }

    private static AgiReply ParseSuccess(ReadOnlySpan<byte> rest)
    {
        if (!rest.StartsWith("result="u8))
            return new AgiReply(200, 0, null, rest.IsEmpty ? null : Encoding.UTF8.GetString(rest), null);

        rest = rest[7..];
        var tokenEnd = rest.IndexOf((byte)' ');
        var token = tokenEnd < 0 ? rest : rest[..tokenEnd];
        rest = tokenEnd < 0 ? default : rest[(tokenEnd + 1)..];

        string? resultText = null;
        if (!Utf8Parser.TryParse(token, out long result, out var consumed) || consumed != token.Length || !IsCanonical(token))
        {
            // GET DATA answers with the digits themselves: keep the token as sent (0123 is not 123).
            resultText = Encoding.UTF8.GetString(token);
            if (consumed != token.Length) result = 0;
        }

        rest = rest.TrimStart((byte)' ');
        string? data = null;
        if (!rest.IsEmpty && rest[0] == (byte)'(')
        {
            // The data is whatever the variable held, parentheses included, so it runs to the last ')'
            // on the line: extras (endpos=...) never contain one.
            var close = rest.LastIndexOf((byte)')');
            if (close < 0)
            {
                data = Encoding.UTF8.GetString(rest[1..]);
                rest = default;
            }
            else
            {
                data = Encoding.UTF8.GetString(rest[1..close]);
                rest = rest[(close + 1)..].TrimStart((byte)' ');
            }
        }
        rest = rest.TrimEnd((byte)' ');
        var extra = rest.IsEmpty ? null : Encoding.UTF8.GetString(rest);
        return new AgiReply(200, result, data, extra, null, resultText);
    }

    // True when the token is the form long.ToString() would produce, so Result alone can restore it.
    private static bool IsCanonical(ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty || token[0] == (byte)'+') return false;
        var digits = token[0] == (byte)'-' ? token[1..] : token;
        if (digits.IsEmpty) return false;
        if (digits[0] == (byte)'0') return digits.Length == 1 && token.Length == 1;
        return true;
    }

    private static int StatusCode(ReadOnlySpan<byte> line)
    {
        int a = line[0] - '0', b = line[1] - '0', c = line[2] - '0';
        if ((uint)a > 9 || (uint)b > 9 || (uint)c > 9) return -1;
        return a * 100 + b * 10 + c;
    }

    private void AppendText(ReadOnlySpan<byte> bytes)
    {
        var separator = _textLines > 0 ? 1 : 0;
        var needed = _textLength + separator + bytes.Length;
        if (needed > _maxReplyLength)
            throw new AgiProtocolException($"a multi-line reply is longer than the limit of {_maxReplyLength} bytes (FastAgiOptions.MaxReplyLength)");
        // Only 520 usage replies take this path, so a plain growing array is enough.
        if (_text is null || _text.Length < needed) Array.Resize(ref _text, Math.Max(needed, Math.Max(1024, (_text?.Length ?? 0) * 2)));
        if (separator > 0) _text[_textLength++] = (byte)'\n';
        _textLines++;
        bytes.CopyTo(_text.AsSpan(_textLength));
        _textLength += bytes.Length;
    }

    private string TakeText()
    {
        var s = _text is null ? string.Empty : Encoding.UTF8.GetString(_text, 0, _textLength);
        _textLength = 0;
        _textLines = 0;
        return s;
    }
}
