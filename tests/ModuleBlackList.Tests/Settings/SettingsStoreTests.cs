using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModuleBlackList.Data;
using ModuleBlackList.Models;
using ModuleBlackList.Settings;

namespace ModuleBlackList.Tests.Settings;

/// <summary>Where the settings live: row 1 of <c>m_BlackListSettings</c>, as the JSON document GET answers.</summary>
public sealed class SettingsStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task With_nothing_stored_the_defaults_are_read()
    {
        await using var m = await BlackListHost.StartAsync();

        var read = await new SettingsStore(m.Scopes).ReadAsync(None);

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(new BlackListSettings(), SettingsDocument.Json), System.Text.Json.JsonSerializer.Serialize(read, SettingsDocument.Json));
    }

    [Fact]
    public async Task What_is_written_is_read_back_from_one_row_written_again_in_place()
    {
        await using var m = await BlackListHost.StartAsync();
        var store = new SettingsStore(m.Scopes);

        await store.WriteAsync(new BlackListSettings { DefaultRegion = "GB", BlockAnonymous = true }, None);
        await store.WriteAsync(new BlackListSettings { DefaultRegion = "DE", CallLogRetentionDays = 7 }, None);
        var read = await store.ReadAsync(None);

        Assert.Equal(("DE", 7, false), (read.DefaultRegion, read.CallLogRetentionDays, read.BlockAnonymous));
        await using var scope = m.Scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<BlackListDbContext>().Settings.AsNoTracking().ToListAsync();
        Assert.Equal(1, Assert.Single(rows).Id);
    }

    [Fact]
    public async Task Only_row_1_counts_even_when_another_row_sorts_first()
    {
        await using var m = await BlackListHost.StartAsync();
        await using (var scope = m.Scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
            db.Settings.Add(new BlackListSettingsRow { Id = 2, Json = """{"defaultRegion":"FR"}""" });
            db.Settings.Add(new BlackListSettingsRow { Id = 1, Json = """{"defaultRegion":"GB"}""" });
            await db.SaveChangesAsync();
        }

        Assert.Equal("GB", (await new SettingsStore(m.Scopes).ReadAsync(None)).DefaultRegion);
    }
}
