using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModuleBlackList.Data;
using ModuleBlackList.Models;

namespace ModuleBlackList.Settings;

/// <summary>
/// Where the settings live: one row of <c>m_BlackListSettings</c>, id 1, holding them as JSON (the
/// document GET answers), so that a new setting needs no migration.
/// </summary>
/// <param name="scopes">The module's scopes (database contexts).</param>
internal sealed class SettingsStore(IServiceScopeFactory scopes)
{
    private const int RowId = 1;

    /// <summary>The stored settings, or the defaults when none were saved.</summary>
    public async Task<BlackListSettings> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        // Ask for row 1, the one WriteAsync writes, not "the first" row.
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == RowId, cancellationToken);
        return row is null ? new BlackListSettings() : System.Text.Json.JsonSerializer.Deserialize<BlackListSettings>(row.Json, SettingsDocument.Json) ?? new BlackListSettings();
    }

    /// <summary>Stores <paramref name="settings"/> in row 1, creating it on the first save.</summary>
    public async Task WriteAsync(BlackListSettings settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        var row = await db.Settings.FindAsync([RowId], cancellationToken);
        if (row is null) db.Settings.Add(row = new BlackListSettingsRow());
        row.Json = System.Text.Json.JsonSerializer.Serialize(settings, SettingsDocument.Json);
        await db.SaveChangesAsync(cancellationToken);
    }
}
