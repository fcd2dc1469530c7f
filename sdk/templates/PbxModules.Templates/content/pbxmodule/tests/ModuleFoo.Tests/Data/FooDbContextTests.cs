using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModuleFoo.Data;

namespace ModuleFoo.Tests.Data;

/// <summary>The module's database as the host migrated it.</summary>
public sealed class FooDbContextTests
{
    [Fact]
    public async Task The_host_applied_every_migration_and_the_model_has_no_change_without_one()
    {
        await using var host = await FooHost.StartAsync(configure: o => o.ShareModuleAssemblies = true);
        await using var scope = host.ModuleServices("module-foo").CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FooDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        // Fails after a model change without `dotnet ef migrations add`: a PBX would never get the new column.
        Assert.False(db.Database.HasPendingModelChanges());
    }
}
