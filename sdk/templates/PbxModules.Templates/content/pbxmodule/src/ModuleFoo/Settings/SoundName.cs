namespace ModuleFoo.Settings;

/// <summary>
/// What a sound name may be, for the settings and the REST input alike: letters, digits, '-', '_' and
/// '/' between folders. Nothing else reaches an AGI command, so no value can smuggle in a path outside
/// Asterisk's sounds folder or a second argument.
/// </summary>
public static class SoundName
{
    /// <summary>The rule as a regular expression.</summary>
    public const string Pattern = "^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$";

    /// <summary>The message for a name that breaks it.</summary>
    public const string Message = "must be a sound name without extension: letters, digits, '-' and '_', folders separated by '/' (e.g. 'custom/welcome').";
}
