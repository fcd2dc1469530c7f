using Microsoft.EntityFrameworkCore;
using PbxModules.Host.Modules;

namespace PbxModules.Host.HostData;

/// <summary>Reads and writes <c>c_modules</c>: installed version and enabled state of each module.</summary>
public sealed class ModuleStateStore(IDbContextFactory<HostDbContext> factory, TimeProvider time)
{
    /// <summary>Every record, by id.</summary>
    public async Task<Dictionary<string, ModuleRecord>> GetAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Modules.AsNoTracking().ToDictionaryAsync(m => m.Id, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>
    /// Records what must survive a restart of one module: its installed version (empty when never
    /// installed), whether it starts enabled and why the host disabled it, and its folder. Inserts or
    /// updates, stamping <see cref="ModuleRecord.UpdatedAt"/>.
    /// </summary>
    internal Task SaveAsync(ModuleEntry entry, CancellationToken cancellationToken) => UpsertAsync(new ModuleRecord
    {
        Id = entry.Id,
        InstalledVersion = entry.InstalledVersion ?? string.Empty,
        Enabled = entry.RecordedEnabled,
        DisabledReason = entry.RecordedDisabledReason,
        Folder = entry.FolderName,
        PackageSha256 = entry.Package?.Sha256,
        PackageSigned = entry.Package?.Signed,
        PackageSigner = entry.Package?.Signer,
        PackageSignerSubject = entry.Package?.SignerSubject,
        PackageSource = entry.Package?.Source,
    }, cancellationToken);

    /// <summary>Puts back a record exactly as it was read (a rolled-back install or upgrade), or removes it when there was none.</summary>
    internal async Task RestoreAsync(string id, ModuleRecord? record, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            await DeleteAsync(id, cancellationToken);
            return;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Modules.FindAsync([id], cancellationToken);
        if (existing is null) db.Modules.Add(record);
        else db.Entry(existing).CurrentValues.SetValues(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task UpsertAsync(ModuleRecord record, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var existing = await db.Modules.FindAsync([record.Id], cancellationToken);
        if (existing is null)
        {
            record.InstalledAt = record.InstalledAt == default ? now : record.InstalledAt;
            record.UpdatedAt = now;
            db.Modules.Add(record);
        }
        else
        {
            existing.InstalledVersion = record.InstalledVersion;
            existing.Enabled = record.Enabled;
            existing.DisabledReason = record.DisabledReason;
            existing.Folder = record.Folder ?? existing.Folder;
            existing.PackageSha256 = record.PackageSha256;
            existing.PackageSigned = record.PackageSigned;
            existing.PackageSigner = record.PackageSigner;
            existing.PackageSignerSubject = record.PackageSignerSubject;
            existing.PackageSource = record.PackageSource;
            existing.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes a record (uninstall).</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Modules.Where(m => m.Id == id).ExecuteDeleteAsync(cancellationToken);
    }
}
