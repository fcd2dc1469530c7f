using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// Install by id from the daemon's default folder feed (<c>&lt;Paths:Data&gt;/feed</c>) of a module that
/// depends on another: the dependency is installed first, both end enabled, <c>GET modules:available</c>
/// lists both as installed, and uninstalling the dependency is refused while its dependent is enabled.
/// </summary>
[Collection(PackageDaemonCollection.Name)]
public sealed class FeedInstallTests(ModulePackages packages)
{
    private const string Dependent = ModulePackages.Dependent;
    private const string Dependency = ModulePackages.Dependency;

    [Fact]
    public async Task A_module_from_the_folder_feed_comes_with_its_dependency_installed_first_and_the_dependency_cannot_be_uninstalled()
    {
        using var temp = new TestRoot("pbxmodules-e2e-feed-");
        var root = temp.Path;
        var feed = Directory.CreateDirectory(Path.Combine(root, "var", "data", "feed")).FullName;
        foreach (var package in new[] { packages.DependentV1, packages.DependencyV1 }) File.Copy(package, Path.Combine(feed, Path.GetFileName(package)));
        var settings = new Dictionary<string, string>
        {
            ["Paths:Modules"] = Directory.CreateDirectory(Path.Combine(root, "modules")).FullName,
            // dotnet pack's package of GoodModule is not signed, nor is the dependent.
            ["Modules:AllowUnsigned"] = "true",
        };
        await using var daemon = await PbxDaemon.StartAsync(TestDaemon.Options(root, settings, new Dictionary<string, string>()));
        using var http = PackageApi.Client(daemon);

        var installed = await PackageApi.ExpectAsync(await http.PostAsJsonAsync($"{PackageApi.Modules}:install", new { id = Dependent }), HttpStatusCode.OK, "install from the feed");
        Assert.Equal(Dependent, installed.GetProperty("data").GetProperty("id").GetString());
        Assert.Contains($"{Dependency}@1.0.0", installed.GetProperty("messages").GetProperty("info")[0].GetString(), StringComparison.Ordinal);
        var output = daemon.Output;
        var dependencyInstalled = output.IndexOf($"Module {Dependency} 1.0.0 installed", StringComparison.Ordinal);
        var dependentInstalled = output.IndexOf($"Module {Dependent} 1.0.0 installed", StringComparison.Ordinal);
        Assert.True(dependencyInstalled >= 0 && dependentInstalled > dependencyInstalled, $"the dependency was not installed before its dependent:\n{output}");
        foreach (var id in new[] { Dependency, Dependent })
        {
            var module = await PackageApi.ModuleAsync(http, id) ?? throw new Xunit.Sdk.XunitException($"{id} is not installed");
            Assert.Equal("Enabled", module.GetProperty("state").GetString());
            Assert.Equal("1.0.0", module.GetProperty("installedVersion").GetString());
        }

        var available = await PackageApi.ExpectAsync(await http.GetAsync($"{PackageApi.Modules}:available"), HttpStatusCode.OK, "GET modules:available");
        var listed = available.GetProperty("data").GetProperty("modules").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal([Dependency, Dependent], listed.Keys.Order(StringComparer.Ordinal));
        foreach (var module in listed.Values)
        {
            Assert.Equal("1.0.0", module.GetProperty("installedVersion").GetString());
            Assert.Equal("1.0.0", module.GetProperty("newestCompatible").GetString());
            Assert.False(module.GetProperty("updateAvailable").GetBoolean());
        }
        Assert.Equal("^1.0.0", listed[Dependent].GetProperty("versions")[0].GetProperty("dependsOn").GetProperty(Dependency).GetString());

        var refused = await PackageApi.ExpectAsync(await http.DeleteAsync($"{PackageApi.Modules}/{Dependency}"), HttpStatusCode.Conflict, "uninstall of the dependency");
        Assert.Equal("HasDependents", refused.GetProperty("data").GetProperty("code").GetString());
        Assert.Contains(Dependent, refused.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Enabled", (await PackageApi.ModuleAsync(http, Dependency))?.GetProperty("state").GetString());
        Assert.True(Directory.Exists(Path.Combine(root, "modules", Dependency)));
    }
}
