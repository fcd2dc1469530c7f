using System.IO.Compression;

namespace PbxModules.Host.Packages.Verification;

/// <summary>
/// What every zip entry of a module package must be: a relative path that stays inside the package
/// (no <c>..</c>, no root, drive or UNC prefix) and a plain file or directory (no link, device or pipe).
/// Checked on the name as written and on the name NuGet unescapes it to (<c>%2E%2E/</c> is <c>../</c>),
/// with <c>\</c> read as <c>/</c>, because a Windows extractor would.
/// </summary>
internal static class PackageEntryRules
{
    // Unix file types in the high 16 bits of a zip entry's external attributes (st_mode).
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;
    private const int SymbolicLink = 0xA000;
    // DOS/Windows attribute of a reparse point (a Windows symbolic link or junction), in the low bits.
    private const int WindowsReparsePoint = 0x400;

    /// <summary>The path an entry is extracted to, relative to the package: NuGet's unescaping, <c>/</c> separators.</summary>
    public static string NormalizedName(string fullName)
        => (fullName.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(fullName) : fullName).Replace('\\', '/');

    /// <summary>The refusal for an entry that breaks a rule; null for a good one.</summary>
    public static PackageRefusal? Check(ZipArchiveEntry entry, string package)
    {
        foreach (var name in new[] { entry.FullName.Replace('\\', '/'), NormalizedName(entry.FullName) })
        {
            if (IsAbsolute(name))
                return new(PackageRefusalCode.AbsolutePath, $"Package '{package}' has an entry with an absolute path, '{entry.FullName}', which would be written outside the module folder: the package is malformed or malicious. Rebuild it with dotnet pack; do not install it as it is.");
            if (name.Split('/').Contains(".."))
                return new(PackageRefusalCode.EntryOutsideFolder, $"Package '{package}' has an entry '{entry.FullName}' whose '..' segment leads outside the module folder: the package is malformed or malicious. Rebuild it with dotnet pack; do not install it as it is.");
        }

        var unixType = (entry.ExternalAttributes >> 16) & FileTypeMask;
        if (unixType == SymbolicLink || (entry.ExternalAttributes & WindowsReparsePoint) != 0)
            return new(PackageRefusalCode.Link, $"Package '{package}' has an entry '{entry.FullName}' that is a symbolic link: a link could make the module read or write files outside its folder, so packages may hold only files and folders. Rebuild the module without links (copy the file instead).");
        if (unixType is not (0 or RegularFile or Directory))
            return new(PackageRefusalCode.Link, $"Package '{package}' has an entry '{entry.FullName}' that is neither a file nor a folder (Unix file type 0x{unixType:X4}: a hard link, device, pipe or socket): packages may hold only files and folders. Rebuild the module from plain files.");
        return null;
    }

    // '/x' (and '\x', '\\server\x' once '\' reads as '/'), 'C:\x' or 'C:x' (drive-relative on Windows).
    private static bool IsAbsolute(string name)
        => name.StartsWith('/') || (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0])) || Path.IsPathRooted(name);
}
