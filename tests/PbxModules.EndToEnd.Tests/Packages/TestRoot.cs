namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>A daemon's root folder (its data, modules, feed) for one test, deleted with everything in it when disposed.</summary>
internal sealed class TestRoot(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
