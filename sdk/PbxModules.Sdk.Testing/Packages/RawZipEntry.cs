namespace PbxModules.Sdk.Testing.Packages;

/// <summary>
/// A zip entry <see cref="ModulePackageBuilder.AddRawEntry"/> writes exactly as given: the name is not
/// checked or escaped (so it may be <c>../x</c>, <c>/etc/x</c>, <c>C:\x</c>), the Unix mode and the
/// declared size may lie. For packages a host must refuse.
/// </summary>
/// <param name="Name">The entry's name in the zip, byte for byte.</param>
/// <param name="Content">What the entry holds (for a link: its target).</param>
public sealed record RawZipEntry(string Name, byte[] Content)
{
    /// <summary>The Unix mode of a symbolic link, <c>S_IFLNK | 0777</c>.</summary>
    public const int SymbolicLinkMode = 0xA000 | 0x1FF;

    /// <summary>The Unix mode of a FIFO (named pipe), <c>S_IFIFO | 0644</c>: neither a file nor a directory.</summary>
    public const int FifoMode = 0x1000 | 0x1A4;

    /// <summary>The Unix mode (file type and permissions) written in the entry's external attributes; null leaves the default.</summary>
    public int? UnixMode { get; init; }

    /// <summary>
    /// The uncompressed size the zip's headers declare for the entry, instead of its real one; null
    /// declares the truth. At most <see cref="uint.MaxValue"/> - 1 (no Zip64).
    /// </summary>
    public long? DeclaredLength { get; init; }
}
