using System.Text;

namespace PbxModules.AmiFlood;

/// <summary>
/// The flood's payload: the event frames of a captured Asterisk 20 dialled call (login answers and
/// boot/auth events left out), repeated until N events, rendered once into one byte array so the
/// server costs nothing per event while it writes.
/// </summary>
internal sealed class FloodEvents
{
    private FloodEvents(byte[] bytes, int count, IReadOnlyDictionary<string, int> perName)
    {
        Bytes = bytes;
        Count = count;
        PerName = perName;
    }

    /// <summary>The rendered frames, each ending in a blank line.</summary>
    public byte[] Bytes { get; }

    /// <summary>How many events <see cref="Bytes"/> holds.</summary>
    public int Count { get; }

    /// <summary>How many events of each name (a worker subscribed to some names expects exactly these).</summary>
    public IReadOnlyDictionary<string, int> PerName { get; }

    /// <summary>Reads the capture's call events and repeats them until <paramref name="count"/>.</summary>
    public static FloodEvents Load(string capturePath, int count)
    {
        var frames = CallFrames(File.ReadAllText(capturePath, Encoding.UTF8));
        if (frames.Count == 0) throw new InvalidDataException($"{capturePath} holds no call events.");
        var perName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        using var output = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            var (name, bytes) = frames[i % frames.Count];
            output.Write(bytes);
            perName[name] = perName.GetValueOrDefault(name) + 1;
        }

        return new FloodEvents(output.ToArray(), count, perName);
    }

    private static List<(string Name, byte[] Bytes)> CallFrames(string capture)
    {
        var frames = new List<(string, byte[])>();
        foreach (var block in capture.Replace("\r\n", "\n").Split("\n\n"))
        {
            var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0 || !lines[0].StartsWith("Event: ", StringComparison.Ordinal)) continue;
            var name = lines[0]["Event: ".Length..];
            // Connection-level events, not call traffic.
            if (name is "FullyBooted" or "SuccessfulAuth") continue;
            frames.Add((name, Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n")));
        }

        return frames;
    }
}
