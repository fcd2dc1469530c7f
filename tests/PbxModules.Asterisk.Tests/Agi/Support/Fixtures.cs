using System.Text;

namespace PbxModules.Asterisk.Tests.Agi.Support;

/// <summary>The transcripts captured from a real Asterisk 20 (tests/fixtures/asterisk-20, copied to the output).</summary>
public static class Fixtures
{
    public static readonly string[] FastAgi = ["fastagi_full", "fastagi_idle_hangup", "fastagi_args", "fastagi_during_ami_session"];

    public static byte[] Received(string name) => File.ReadAllBytes(PathOf(name + ".recv.raw"));

    public static byte[] Sent(string name) => File.ReadAllBytes(PathOf(name + ".sent.raw"));

    /// <summary>The lines of a byte stream, split on \n (the last, unterminated piece dropped).</summary>
    public static List<string> Lines(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n').ToList();
        lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>
    /// Splits what Asterisk sent into what it sent at connect (the environment, plus any HANGUP right
    /// after it) and then, for each command, its reply (plus any HANGUP that followed the reply).
    /// </summary>
    public static (string Environment, List<string> Replies) Segments(byte[] received)
    {
        var lines = Lines(received);
        var blank = lines.IndexOf(string.Empty);
        var env = new StringBuilder();
        for (var i = 0; i <= blank; i++) env.Append(lines[i]).Append('\n');
        var replies = new List<string>();
        var i2 = blank + 1;
        while (i2 < lines.Count && lines[i2] == "HANGUP") env.Append(lines[i2++]).Append('\n');
        string? multiLineCode = null;
        for (; i2 < lines.Count; i2++)
        {
            var line = lines[i2];
            if (multiLineCode is not null)
            {
                replies[^1] += line + "\n";
                if (line.StartsWith(multiLineCode + " ", StringComparison.Ordinal)) multiLineCode = null;
                continue;
            }
            if (line == "HANGUP")
            {
                replies[^1] += "HANGUP\n";
                continue;
            }
            if (line.Length >= 4 && line[3] == '-') multiLineCode = line[..3];
            replies.Add(line + "\n");
        }
        return (env.ToString(), replies);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PbxModules.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PbxModules.sln not found above " + AppContext.BaseDirectory);
    }

    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "fixtures", "asterisk-20", file);
}
