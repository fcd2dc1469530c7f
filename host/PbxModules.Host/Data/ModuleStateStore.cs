using Microsoft.EntityFrameworkCore;

namespace PbxModules.Host.Data;

/// <summary>Reads and writes <c>c_modules</c>: installed version and enabled state of each module.</summary>
public sealed class ModuleStateStore(IDbContextFactory<HostDbContext> factory, TimeProvider time)
{
    /// <summary>Every record, by id.</summary>
    public async Task<Dictionary<string, ModuleRecord>> GetAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Modules.AsNoTracking().ToDictionaryAsync(m => m.Id, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>Inserts or updates a record, stamping <see cref="ModuleRecord.UpdatedAt"/>. A null <see cref="ModuleRecord.Folder"/> keeps the one recorded.</summary>
    public async Task SaveAsync(ModuleRecord record, CancellationToken cancellationToken)
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
