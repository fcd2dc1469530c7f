using System.Buffers;
using System.Text;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami.Protocol;

/// <summary>
/// Writes actions in the wire form Asterisk expects: <c>Action</c>, then <c>ActionID</c>, then the
/// headers in order, each <c>Name: Value\r\n</c>, then a blank line. This is the order the fixtures
/// show; an empty value is written as <c>Name: \r\n</c> (keeping the space).
/// </summary>
internal static class AmiFrameWriter
{
    private static ReadOnlySpan<byte> Separator => ": "u8;
    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    /// <summary>Writes one action frame.</summary>
    public static void WriteAction(IBufferWriter<byte> output, AmiAction action, string? actionId)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(action);
        WriteHeader(output, "Action", action.Name);
        if (actionId is not null) WriteHeader(output, "ActionID", actionId);
        foreach (var (name, value) in action.Headers) WriteHeader(output, name, value);
        output.Write(LineEnd);
    }

    /// <summary>The bytes of one action frame.</summary>
    public static byte[] ToBytes(AmiAction action, string? actionId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteAction(buffer, action, actionId);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHeader(IBufferWriter<byte> output, string name, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(name.Length + value.Length) + 4;
        var span = output.GetSpan(max);
        var written = Encoding.UTF8.GetBytes(name, span);
        Separator.CopyTo(span[written..]);
        written += 2;
        written += Encoding.UTF8.GetBytes(value, span[written..]);
        LineEnd.CopyTo(span[written..]);
        output.Advance(written + 2);
    }
}
