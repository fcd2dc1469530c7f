namespace PbxModules.Host.Auth;

/// <summary>
/// Secrets the daemon generates for itself (the JWT signing key, the first admin's password) live in
/// files under <c>Paths:Data</c> readable by the daemon's user only (0600), created exclusively so
/// two starting processes never overwrite each other's secret.
/// </summary>
internal static class SecretFile
{
    /// <summary>Creates <paramref name="path"/> with <paramref name="content"/>, mode 0600; false when it already exists.</summary>
    public static bool TryCreate(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(content);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }
}
