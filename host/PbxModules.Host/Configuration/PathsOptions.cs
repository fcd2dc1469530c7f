namespace PbxModules.Host.Configuration;

/// <summary>
/// The <c>Paths</c> configuration section: where the daemon keeps data, finds modules and writes
/// Asterisk configuration. Relative paths are relative to the working directory (so
/// <c>dotnet run</c> from the repository keeps everything under <c>./var</c>); <c>{AppBase}</c> stands
/// for the folder of the daemon's own assemblies.
/// </summary>
public sealed class PathsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Paths";

    /// <summary>The host database and one folder and database per module.</summary>
    public string Data { get; set; } = "./var/data";

    /// <summary>Installed modules: one folder each, holding <c>module.json</c> and the assemblies.</summary>
    public string Modules { get; set; } = "./var/modules";

    /// <summary>Where <c>extensions_modules.conf</c> is written (a package uses <c>/etc/asterisk</c>).</summary>
    public string AsteriskConfig { get; set; } = "./var/asterisk";

    /// <summary>The data folder as an absolute path.</summary>
    public string DataFullPath => Resolve(Data);

    /// <summary>The modules folder as an absolute path.</summary>
    public string ModulesFullPath => Resolve(Modules);

    /// <summary>The Asterisk configuration folder as an absolute path.</summary>
    public string AsteriskConfigFullPath => Resolve(AsteriskConfig);

    /// <summary>Resolves a configured path: expands <c>{AppBase}</c>, then makes it absolute against the working directory.</summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var expanded = path.Replace("{AppBase}", AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
        return Path.GetFullPath(expanded, Environment.CurrentDirectory);
    }
}
