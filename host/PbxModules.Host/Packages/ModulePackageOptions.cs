namespace PbxModules.Host.Packages;

/// <summary>The <c>Modules</c> configuration section: where module packages come from and which are trusted.</summary>
public sealed class ModulePackageOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Modules";

    /// <summary>
    /// The names of these settings, ignoring case: a module's own settings live under <c>Modules:&lt;id&gt;</c>,
    /// so no module may have an id that is one of them (configuration keys ignore case).
    /// </summary>
    public static IReadOnlySet<string> SettingNames { get; } = typeof(ModulePackageOptions).GetProperties()
        .Where(p => p.CanWrite).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// NuGet sources to list and download module packages from: a folder path or an http(s) v3 index URL.
    /// Empty (the default): one local folder feed, <c>&lt;Paths:Data&gt;/feed</c>.
    /// </summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>SHA-256 fingerprints (hex, case and ':' ignored) of the certificates whose author signatures are trusted; the root need not be trusted by the machine.</summary>
    public List<string> TrustedSigners { get; set; } = [];

    /// <summary>Accepts unsigned packages (and lists them as unsigned). Signed packages are still verified. Default false.</summary>
    public bool AllowUnsigned { get; set; }

    /// <summary>The largest .nupkg accepted (upload, file or download). Default 64 MiB.</summary>
    public long MaxPackageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most a package may expand to on disk. Default 256 MiB.</summary>
    public long MaxExpandedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The most entries a package may hold. Default 10 000.</summary>
    public int MaxEntries { get; set; } = 10_000;
}
