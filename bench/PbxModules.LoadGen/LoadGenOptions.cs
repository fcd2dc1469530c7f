using System.Globalization;

namespace PbxModules.LoadGen;

/// <summary>The command line.</summary>
internal sealed record LoadGenOptions(int Rules, int Calls, int[] Levels, int MaxSeconds, string? DaemonPath, string DaemonLog, bool Keep)
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/PbxModules.LoadGen -- [options]
          --rules N          rules seeded into the list (default 100000)
          --calls N          sessions per level and route (default 20000)
          --levels a,b,c     concurrent sessions per level (default 1,50,500)
          --max-seconds S    no new session starts after S seconds in a level (default 60)
          --daemon PATH      the daemon's PbxModules.Host.dll (default: the one built with this project)
          --daemon-log L     the daemon's log level (default Warning: per-call log lines would measure the console)
          --keep             keep the temp folder (data, database) afterwards
        """;

    public static LoadGenOptions? Parse(string[] args)
    {
        var options = new LoadGenOptions(100_000, 20_000, [1, 50, 500], 60, null, "Warning", false);
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
                options = args[i] switch
                {
                    "--rules" => options with { Rules = Positive(Value()) },
                    "--calls" => options with { Calls = Positive(Value()) },
                    "--levels" => options with { Levels = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Positive)] },
                    "--max-seconds" => options with { MaxSeconds = Positive(Value()) },
                    "--daemon" => options with { DaemonPath = Path.GetFullPath(Value()) },
                    "--daemon-log" => options with { DaemonLog = Value() },
                    "--keep" => options with { Keep = true },
                    "--help" or "-h" => throw new FormatException(""),
                    _ => throw new FormatException($"Unknown option {args[i]}."),
                };
            }
            if (options.Levels.Length == 0) throw new FormatException("--levels needs at least one level.");
            return options;
        }
        catch (FormatException ex)
        {
            if (ex.Message.Length > 0) Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return null;
        }
    }

    private static int Positive(string text)
    {
        var value = int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return value > 0 ? value : throw new FormatException($"{text} must be positive.");
    }
}
