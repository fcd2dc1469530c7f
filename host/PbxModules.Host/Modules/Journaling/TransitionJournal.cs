using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using PbxModules.Host.Dialplan;
using PbxModules.Host.HostData;
using PbxModules.Host.ModuleData;

namespace PbxModules.Host.Modules.Journaling;

/// <summary>
/// The journal of installs and upgrades: one small file per transition in progress,
/// <c>&lt;Paths:Data&gt;/journal/&lt;id&gt;.json</c>, rewritten atomically (temp, fsync, rename) after every
/// step, and the undo and finish that both a failed transition and the recovery after a crash run.
/// Undoing and finishing are idempotent: a crash while recovering is recovered from at the next start.
/// </summary>
/// <remarks>
/// Which steps roll back and which roll forward: <see cref="TransitionStep"/>. Rolling back puts the
/// old folder back (an install's folder is deleted: nothing was there, the install checked), deletes
/// the staging folder, restores the database from the backup (or deletes the one the new version
/// made), and puts the <c>c_modules</c> row back as it was. Rolling forward deletes the backups.
/// </remarks>
public sealed partial class TransitionJournal(ModuleDataPaths paths, ModuleStateStore store, ITransitionFaultInjector faults, ILogger<TransitionJournal> logger)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    /// <summary>Where the module paths are.</summary>
    public ModuleDataPaths Paths => paths;

    /// <summary>A new journal (not written yet) for a transition of module <paramref name="id"/> into <paramref name="targetFolder"/>.</summary>
    public TransitionJournalRecord Begin(string operation, string id, string toVersion, string? fromVersion, string targetFolder, ModuleRecord? previousRecord)
    {
        var unique = $"{id}-{Guid.NewGuid():N}";
        return new TransitionJournalRecord
        {
            Operation = operation,
            ModuleId = id,
            ToVersion = toVersion,
            FromVersion = fromVersion,
            TargetFolder = targetFolder,
            StagingFolder = Path.Combine(paths.StagingDirectory, unique),
            OldFolderBackup = operation == TransitionStepNames.Upgrade ? Path.Combine(paths.BackupDirectory, unique) : null,
            DataBackupFolder = Path.Combine(paths.JournalDirectory, unique + ".data"),
            PreviousRecord = previousRecord,
        };
    }

    /// <summary>Records that <paramref name="step"/> is done (durably, before the next step starts), then tells the fault injector.</summary>
    public async Task CheckpointAsync(TransitionJournalRecord journal, TransitionStep step, CancellationToken cancellationToken)
    {
        journal.Step = step;
        await AtomicFile.WriteAllTextAsync(FileOf(journal.ModuleId), JsonSerializer.Serialize(journal, Json), cancellationToken);
        faults.Reached(journal.Operation, step);
    }

    /// <summary>Copies the module's database (SQLite's backup API: a consistent copy, its WAL folded in) into the journal's backup folder; the module must be unloaded.</summary>
    public void BackUpData(TransitionJournalRecord journal)
    {
        var database = paths.DatabaseFile(journal.ModuleId);
        journal.DatabaseExisted = File.Exists(database);
        journal.DataDirectoryExisted = Directory.Exists(paths.DataDirectory(journal.ModuleId));
        if (Directory.Exists(journal.DataBackupFolder)) Directory.Delete(journal.DataBackupFolder, recursive: true);
        Directory.CreateDirectory(journal.DataBackupFolder);
        if (!journal.DatabaseExisted) return;
        using var source = Open(database, SqliteOpenMode.ReadOnly);
        using var copy = Open(BackupFileOf(journal), SqliteOpenMode.ReadWriteCreate);
        source.BackupDatabase(copy);
    }

    /// <summary>The transition is done: deletes the staging and backups, then the journal.</summary>
    public async Task CommitAsync(TransitionJournalRecord journal, CancellationToken cancellationToken)
    {
        DeleteBackups(journal);
        await CheckpointAsync(journal, TransitionStep.Committed, cancellationToken);
        File.Delete(FileOf(journal.ModuleId));
    }

    /// <summary>Undoes the transition on disk and in <c>c_modules</c>; the new version's code must be unloaded. Ends by deleting the journal.</summary>
    public async Task RollBackAsync(TransitionJournalRecord journal, CancellationToken cancellationToken)
    {
        var id = journal.ModuleId;
        if (journal.OldFolderBackup is { } old && Directory.Exists(old))
        {
            // Whatever is at the target is the new version, whole or partly moved: the old one goes back.
            if (Directory.Exists(journal.TargetFolder)) Directory.Delete(journal.TargetFolder, recursive: true);
            Directory.Move(old, journal.TargetFolder);
        }
        else if (journal.Operation == TransitionStepNames.Install && Directory.Exists(journal.TargetFolder))
        {
            Directory.Delete(journal.TargetFolder, recursive: true);
        }
        if (Directory.Exists(journal.StagingFolder)) Directory.Delete(journal.StagingFolder, recursive: true);

        // Before the backup was complete the new version had not touched the data: nothing to undo there.
        if (journal.Step >= TransitionStep.DataBackedUp) RestoreData(journal);
        await store.RestoreAsync(id, journal.PreviousRecord, cancellationToken);
        DeleteBackups(journal);
        File.Delete(FileOf(id));
        LogRolledBack(logger, journal.Operation, id, journal.ToVersion, TransitionStepNames.NameOf(journal.Step));
    }

    /// <summary>
    /// At start-up, before modules are discovered: finishes or undoes every transition a crash
    /// interrupted. A journal that cannot be handled is logged and left for the next start; the daemon starts anyway.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(paths.JournalDirectory)) return;
        foreach (var file in Directory.EnumerateFiles(paths.JournalDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            TransitionJournalRecord? journal;
            try
            {
                journal = JsonSerializer.Deserialize<TransitionJournalRecord>(await File.ReadAllTextAsync(file, cancellationToken), Json);
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                LogUnreadable(logger, ex, file);
                continue;
            }
            if (journal is null || !StaysInside(journal))
            {
                LogUnreadable(logger, new InvalidDataException("The journal names a folder outside the modules and journal folders."), file);
                continue;
            }
            try
            {
                if (journal.RollsForward)
                {
                    DeleteBackups(journal);
                    File.Delete(file);
                    LogRolledForward(logger, journal.Operation, journal.ModuleId, journal.ToVersion, TransitionStepNames.NameOf(journal.Step));
                }
                else
                {
                    await RollBackAsync(journal, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                LogRecoveryFailed(logger, ex, journal.Operation, journal.ModuleId, file);
            }
        }
        // Staging folders no journal refers to any more (a crash before the first journal write).
        if (Directory.Exists(paths.StagingDirectory) && !Directory.EnumerateFiles(paths.JournalDirectory, "*.json").Any())
            Directory.Delete(paths.StagingDirectory, recursive: true);
    }

    /// <summary>Recovery deletes and moves the folders a journal names: only ever inside the modules and journal folders, whatever the file says.</summary>
    private bool StaysInside(TransitionJournalRecord journal)
        => Inside(journal.TargetFolder, paths.ModulesDirectory)
            && Inside(journal.StagingFolder, paths.StagingDirectory)
            && (journal.OldFolderBackup is null || Inside(journal.OldFolderBackup, paths.BackupDirectory))
            && Inside(journal.DataBackupFolder, paths.JournalDirectory)
            && ManifestValidator.KebabCase().IsMatch(journal.ModuleId);

    private static bool Inside(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative) && !relative.Contains(Path.DirectorySeparatorChar);
    }

    private void RestoreData(TransitionJournalRecord journal)
    {
        var id = journal.ModuleId;
        // Side files first: a WAL of the new version left beside the restored file would be replayed into it.
        foreach (var file in paths.DatabaseFiles(id))
            if (File.Exists(file)) File.Delete(file);
        if (journal.DatabaseExisted)
        {
            var database = paths.DatabaseFile(id);
            var temp = database + ".restoring";
            File.Copy(BackupFileOf(journal), temp, overwrite: true);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
            File.Move(temp, database, overwrite: true);
        }
        if (!journal.DataDirectoryExisted && Directory.Exists(paths.DataDirectory(id))) Directory.Delete(paths.DataDirectory(id), recursive: true);
    }

    private static void DeleteBackups(TransitionJournalRecord journal)
    {
        foreach (var folder in new[] { journal.StagingFolder, journal.OldFolderBackup, journal.DataBackupFolder })
            if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private string FileOf(string id)
    {
        Directory.CreateDirectory(paths.JournalDirectory);
        return Path.Combine(paths.JournalDirectory, id + ".json");
    }

    private string BackupFileOf(TransitionJournalRecord journal) => Path.Combine(journal.DataBackupFolder, Path.GetFileName(paths.DatabaseFile(journal.ModuleId)));

    // Not pooled: a pooled connection would keep the file open after the copy, and the module's own pool must not be touched.
    private static SqliteConnection Open(string file, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Operation} of module {ModuleId} {Version} was rolled back (it had reached step {Step}); the previous state, files and data are back")]
    private static partial void LogRolledBack(ILogger logger, string operation, string moduleId, string version, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Operation} of module {ModuleId} {Version} was interrupted after step {Step} and is finished: the new version is installed")]
    private static partial void LogRolledForward(ILogger logger, string operation, string moduleId, string version, string step);

    [LoggerMessage(Level = LogLevel.Error, Message = "The transition journal {File} cannot be read; it is left in place. Look at the module folders and delete the file once they are as they should be")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovering the interrupted {Operation} of module {ModuleId} failed; it is tried again at the next start (journal {File}). Check the permissions and free space of the modules and data folders")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, string operation, string moduleId, string file);
}
