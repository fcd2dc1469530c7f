using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>What every install and upgrade must leave on disk once it is over, whichever way it ended.</summary>
internal static class TransitionAssertions
{
    /// <summary>No staging or backup folder, no journal, nothing in the modules folder the catalog would not list.</summary>
    public static void NothingInProgress(ModuleHostFixture fixture)
    {
        foreach (var folder in new[] { ".staging", ".backup" })
        {
            var path = Path.Combine(fixture.ModulesDirectory, folder);
            Assert.True(!Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any(), $"{path} is not empty: {string.Join(", ", Directory.Exists(path) ? Directory.EnumerateFileSystemEntries(path) : [])}");
        }
        var journal = Path.Combine(fixture.DataDirectory, "journal");
        Assert.True(!Directory.Exists(journal) || !Directory.EnumerateFileSystemEntries(journal).Any(), $"{journal} is not empty: {string.Join(", ", Directory.Exists(journal) ? Directory.EnumerateFileSystemEntries(journal) : [])}");
    }

    /// <summary>The module is not installed at all: not listed, no folder named after it, no row.</summary>
    public static async Task NotInstalledAsync(ModuleHostFixture fixture, string id)
    {
        Assert.Null(fixture.Manager.Registry.GetModule(id));
        Assert.False(Directory.Exists(Path.Combine(fixture.ModulesDirectory, id)));
        Assert.False((await fixture.Store.GetAllAsync(CancellationToken.None)).ContainsKey(id));
        NothingInProgress(fixture);
    }

    /// <summary>The module is listed in that state and version, recorded installed in that version.</summary>
    public static async Task InstalledAsync(ModuleHostFixture fixture, string id, string version, ModuleState state)
    {
        var info = fixture.Module(id);
        Assert.True(info.State == state, $"{id} is {info.State} ({info.FailureReason}), expected {state}");
        Assert.Equal(version, info.Version);
        Assert.Equal(version, info.InstalledVersion);
        Assert.Equal(version, (await fixture.Store.GetAllAsync(CancellationToken.None))[id].InstalledVersion);
        NothingInProgress(fixture);
    }
}
