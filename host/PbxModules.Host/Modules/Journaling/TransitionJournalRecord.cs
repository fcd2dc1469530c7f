using PbxModules.Host.HostData;

namespace PbxModules.Host.Modules.Journaling;

/// <summary>
/// One install or upgrade in progress, as written to <c>&lt;Paths:Data&gt;/journal/&lt;id&gt;.json</c>:
/// the step reached and every path it touches, so that recovery can finish or undo it without anything
/// else (see <see cref="TransitionStep"/> for which way each step goes).
/// </summary>
public sealed class TransitionJournalRecord
{
    /// <summary><c>install</c> or <c>upgrade</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The module id.</summary>
    public required string ModuleId { get; init; }

    /// <summary>The version being installed.</summary>
    public required string ToVersion { get; init; }

    /// <summary>Upgrade: the version installed before; null for an install.</summary>
    public string? FromVersion { get; init; }

    /// <summary>The last step done.</summary>
    public TransitionStep Step { get; set; }

    /// <summary>The module's folder under <c>Paths:Modules</c> (the new version ends up here).</summary>
    public required string TargetFolder { get; init; }

    /// <summary>Where the package is extracted first, on the same filesystem so the swap is one rename.</summary>
    public required string StagingFolder { get; init; }

    /// <summary>Upgrade: where the old folder is kept until the upgrade is done; null for an install.</summary>
    public string? OldFolderBackup { get; init; }

    /// <summary>Where the module's database is copied before the new version touches it.</summary>
    public required string DataBackupFolder { get; init; }

    /// <summary>Whether the module had a database file before (else rolling back deletes the one the new version made).</summary>
    public bool DatabaseExisted { get; set; }

    /// <summary>Whether the module had a data folder before (else rolling back deletes the one the new version made).</summary>
    public bool DataDirectoryExisted { get; set; }

    /// <summary>The <c>c_modules</c> row before the transition, put back on roll-back; null when there was none.</summary>
    public ModuleRecord? PreviousRecord { get; init; }

    /// <summary>True when the step reached means the transition is finished on recovery, false when it is undone.</summary>
    public bool RollsForward => Step >= TransitionStep.Enabled;
}
