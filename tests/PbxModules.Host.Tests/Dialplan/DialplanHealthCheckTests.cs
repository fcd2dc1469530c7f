using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.Dialplan;

namespace PbxModules.Host.Tests.Dialplan;

/// <summary>
/// The dialplan component of <c>/healthz</c> over a real <see cref="DialplanService"/> writing a real
/// file (no AMI client): Degraded before the first write and when the reload could not be sent,
/// Healthy once the file on disk is what the service renders.
/// </summary>
public sealed class DialplanHealthCheckTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pbxmodules-health-dialplan", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Not_written_yet_is_Degraded_with_the_path()
    {
        var dialplan = Service();

        var result = await CheckAsync(dialplan);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("Not written yet.", result.Description);
        Assert.Equal(dialplan.FilePath, result.Data["path"]);
    }

    [Fact]
    public async Task A_written_file_that_could_not_be_reloaded_is_Degraded_with_the_reason()
    {
        var dialplan = Service();
        await dialplan.ApplyAsync(CancellationToken.None);

        var result = await CheckAsync(dialplan);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("No AMI client is configured", result.Description, StringComparison.Ordinal);
        Assert.Equal(false, result.Data["reloaded"]);
    }

    [Fact]
    public async Task A_file_already_as_rendered_is_Healthy()
    {
        await Service().ApplyAsync(CancellationToken.None);
        // A second service finds the file as it renders it: nothing to write, nothing to reload.
        var dialplan = Service();
        await dialplan.ApplyAsync(CancellationToken.None);

        var result = await CheckAsync(dialplan);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("0 module block(s) written", result.Description);
        Assert.True(result.Data.ContainsKey("appliedAt"));
    }

    private DialplanService Service() => new(
        Options.Create(new DialplanOptions()),
        Options.Create(new PathsOptions { AsteriskConfig = _root }),
        Options.Create(new PbxModules.Asterisk.Agi.Hosting.FastAgiOptions()),
        Options.Create(new AgiDialplanOptions()),
        TimeProvider.System,
        NullLogger<DialplanService>.Instance);

    private static Task<HealthCheckResult> CheckAsync(DialplanService dialplan)
        => new DialplanHealthCheck(dialplan).CheckHealthAsync(new HealthCheckContext());

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
