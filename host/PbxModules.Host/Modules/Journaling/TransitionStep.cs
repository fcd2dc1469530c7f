namespace PbxModules.Host.Modules.Journaling;

/// <summary>
/// The steps of an install or upgrade, in order, as its journal records the last one reached (each is
/// written after the step is done and durable). What recovery does after a crash depends only on it:
/// every step before <see cref="Enabled"/> rolls <b>back</b> (the files, databases and <c>c_modules</c>
/// row are put back as they were before the transition began); <see cref="Enabled"/> and
/// <see cref="Committed"/> roll <b>forward</b> (the new version is recorded complete; only the backups are
/// left to delete).
/// </summary>
/// <remarks>
/// Why the line is at <see cref="Enabled"/>: until then the new version has not been recorded as
/// installed and running the way the administrator asked, and everything it changed (its folder, its
/// database, its row) can be restored from what the earlier steps kept; after it, nothing remains to be
/// done that could fail, so undoing a finished install would only lose work.
/// </remarks>
public enum TransitionStep
{
    /// <summary>The journal exists; nothing is changed yet (the staging folder may be partly written).</summary>
    Begun,

    /// <summary>The package is extracted into the staging folder.</summary>
    Staged,

    /// <summary>Upgrade: the old version is drained, wired out and unloaded.</summary>
    OldStopped,

    /// <summary>The module's database is copied to the journal's backup folder (or recorded as absent).</summary>
    DataBackedUp,

    /// <summary>The new folder is in place (upgrade: the old one moved to the backup folder).</summary>
    Swapped,

    /// <summary>The new version is loaded and its migrations ran.</summary>
    Migrated,

    /// <summary>Its install or upgrade hook ran (upgrade: the new version is recorded in <c>c_modules</c>).</summary>
    HooksRun,

    /// <summary>Recorded in <c>c_modules</c> as the administrator asked (enabled, or disabled) and, when enabled, wired in.</summary>
    Enabled,

    /// <summary>Backups deleted; only the journal itself is left to delete.</summary>
    Committed,
}

/// <summary>Names of steps and operations as configuration and journals spell them (<c>data-backed-up</c>).</summary>
public static class TransitionStepNames
{
    /// <summary>The install operation.</summary>
    public const string Install = "install";

    /// <summary>The upgrade operation.</summary>
    public const string Upgrade = "upgrade";

    /// <summary>
    /// The steps <paramref name="operation"/> journals, in order: an upgrade every one, an install every one
    /// but <see cref="TransitionStep.OldStopped"/> (there is no old version). The crash tests take their
    /// cases from here, so a step added to <see cref="TransitionStep"/> is crash-tested without being listed twice.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="operation"/> is neither <see cref="Install"/> nor <see cref="Upgrade"/>.</exception>
    public static IReadOnlyList<TransitionStep> StepsOf(string operation) => operation switch
    {
        Install => [.. Enum.GetValues<TransitionStep>().Where(s => s != TransitionStep.OldStopped)],
        Upgrade => Enum.GetValues<TransitionStep>(),
        _ => throw new ArgumentException($"'{operation}' is no journaled operation: '{Install}' or '{Upgrade}'.", nameof(operation)),
    };

    /// <summary>The kebab-case name of a step: <see cref="TransitionStep.DataBackedUp"/> is <c>data-backed-up</c>.</summary>
    public static string NameOf(TransitionStep step) => string.Concat(step.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The step with that kebab-case name, or null.</summary>
    public static TransitionStep? Parse(string name) => Enum.GetValues<TransitionStep>().Cast<TransitionStep?>().FirstOrDefault(s => NameOf(s!.Value) == name);
}
