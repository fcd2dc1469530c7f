using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Host.Configuration;
using PbxModules.Host.HostData;
using PbxModules.Host.Health;

namespace PbxModules.Host.Tests.Health;

/// <summary>The database component of <c>/healthz</c> on a real SQLite file: Healthy when it opens, Unhealthy, naming the setting, when it is not there.</summary>
public sealed class DatabaseHealthCheckTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pbxmodules-health-db", Guid.NewGuid().ToString("N"));

    public DatabaseHealthCheckTests() => Directory.CreateDirectory(_root);

    [Fact]
    public async Task A_host_database_that_opens_is_Healthy()
    {
        using var services = Services(Path.Combine(_root, "data"));
        await HostDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<HostDbContext>>(), CancellationToken.None);

        var result = await CheckAsync(services);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("Host database reachable", result.Description);
    }

    [Fact]
    public async Task A_host_database_file_that_is_not_there_is_Unhealthy_naming_the_setting()
    {
        using var services = Services(Path.Combine(_root, "empty"));

        var result = await CheckAsync(services);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("Host database cannot be opened: check Paths:Data and its permissions.", result.Description);
    }

    private static ServiceProvider Services(string data)
    {
        var services = new ServiceCollection();
        services.Configure<PathsOptions>(o => o.Data = data);
        services.AddHostDatabase();
        return services.BuildServiceProvider();
    }

    private static Task<HealthCheckResult> CheckAsync(IServiceProvider services)
        => new DatabaseHealthCheck(services.GetRequiredService<IDbContextFactory<HostDbContext>>()).CheckHealthAsync(new HealthCheckContext());

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
