using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModuleBlackList.Settings;

namespace ModuleBlackList.Sounds;

/// <summary>Whether Asterisk has a sound, as far as its sounds directory tells.</summary>
public enum SoundPresence
{
    /// <summary>A file of that name exists (in any format, in the directory or one of its language folders).</summary>
    Installed,

    /// <summary>The directory was read and has no such file: Asterisk would answer <c>STREAM FILE</c> with -1.</summary>
    Missing,

    /// <summary>The directory cannot be read here (another machine, permissions): nothing can be said.</summary>
    Unknown,
}

/// <summary>
/// Asterisk's sound names and its sounds directory (<see cref="BlackListOptions.SoundsDirectory"/>):
/// what a valid name is, and whether a sound is installed. Asterisk looks a relative name up as
/// <c>sounds/&lt;language&gt;/name.&lt;format&gt;</c>, then <c>sounds/name.&lt;format&gt;</c>.
/// </summary>
public sealed partial class SoundLibrary(IOptionsMonitor<BlackListOptions> options, ILogger<SoundLibrary> logger)
{
    private static readonly EnumerationOptions Exact = new() { MatchCasing = MatchCasing.CaseSensitive, IgnoreInaccessible = true, RecurseSubdirectories = false };

    /// <summary>
    /// True for a name Asterisk takes and that stays inside the sounds directory: segments of letters,
    /// digits, <c>_</c> and <c>-</c> separated by single <c>/</c>; no leading <c>/</c> (absolute path),
    /// no <c>.</c> (so neither <c>..</c> nor an extension), no spaces, commas or quotes, at most 200 characters.
    /// </summary>
    public static bool IsValidName(string? name) => name is { Length: > 0 and <= 200 } && Name().IsMatch(name);

    /// <summary>The sounds directory this library reads.</summary>
    public string Directory => options.CurrentValue.SoundsDirectory;

    /// <summary>Looks for the sound in the sounds directory; <see cref="SoundPresence.Unknown"/> (with the reason) when it cannot be read.</summary>
    public (SoundPresence Presence, string? Reason) Find(string name)
    {
        if (!IsValidName(name)) return (SoundPresence.Missing, null);
        var root = Directory;
        try
        {
            if (!System.IO.Directory.Exists(root)) return (SoundPresence.Unknown, $"'{root}' does not exist on this machine");
            var folder = Path.GetDirectoryName(name) ?? "";
            var file = Path.GetFileName(name) + ".*";
            // Reading the directory itself first: a directory that cannot be listed is "unknown", not "missing".
            var languages = System.IO.Directory.GetDirectories(root).Where(d => Language().IsMatch(Path.GetFileName(d)));
            foreach (var baseDir in languages.Prepend(root))
            {
                var dir = Path.Combine(baseDir, folder);
                if (System.IO.Directory.Exists(dir) && System.IO.Directory.EnumerateFiles(dir, file, Exact).Any()) return (SoundPresence.Installed, null);
            }
            return (SoundPresence.Missing, null);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return (SoundPresence.Unknown, $"'{root}' cannot be read: {ex.Message}");
        }
    }

    /// <summary>Logs that a sound was accepted unchecked, and why.</summary>
    internal void ReportUnchecked(string name, string reason) => LogUnchecked(logger, name, reason);

    [GeneratedRegex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    // en, fr, pt_BR, en_GB-custom: Asterisk's language folders.
    [GeneratedRegex("^[a-z]{2,3}([_-][A-Za-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Language();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sound '{Sound}' was saved without checking that Asterisk has it: {Reason}. If the daemon runs where Asterisk does, set Modules:module-black-list:SoundsDirectory to Asterisk's sounds directory; a missing sound makes blocked callers get the configured hang-up instead")]
    private static partial void LogUnchecked(ILogger logger, string sound, string reason);
}
