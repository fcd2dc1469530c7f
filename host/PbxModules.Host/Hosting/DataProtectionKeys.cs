using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using PbxModules.Host.Configuration;

namespace PbxModules.Host.Hosting;

/// <summary>
/// ASP.NET Core's data-protection key ring (which authentication and antiforgery rely on) kept under
/// <c>Paths:Data/data-protection-keys</c>: a folder only the daemon's user can enter (0700) holding
/// files only it can read (0600), like the JWT key. Without this the ring lived in memory (a new
/// one each start) or in the home folder of whoever ran the daemon.
/// </summary>
/// <remarks>
/// The keys are not encrypted at rest: on Linux there is no machine secret store to encrypt them
/// with, so file permissions are the protection, as for every other secret under <c>Paths:Data</c>.
/// </remarks>
internal static class DataProtectionKeys
{
    /// <summary>The folder under <c>Paths:Data</c>.</summary>
    public const string FolderName = "data-protection-keys";

    public static IServiceCollection AddPbxDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("pbx-modules");
        // The data path is read from configuration, not from the validated PathsOptions: the key ring
        // may be built before start-up validation has reported a bad Paths section in its own words.
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, ILoggerFactory>((options, configuration, loggers) =>
        {
            var paths = configuration.GetSection(PathsOptions.SectionName).Get<PathsOptions>() ?? new PathsOptions();
            options.XmlRepository = new OwnerOnlyXmlRepository(Path.Combine(paths.DataFullPath, FolderName), loggers);
        });
        return services;
    }

    /// <summary>The file-system repository, with owner-only permissions on its folder and files.</summary>
    private sealed class OwnerOnlyXmlRepository : IXmlRepository
    {
        private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        private readonly DirectoryInfo _folder;
        private readonly FileSystemXmlRepository _inner;

        public OwnerOnlyXmlRepository(string folder, ILoggerFactory loggers)
        {
            _folder = OperatingSystem.IsWindows() ? Directory.CreateDirectory(folder) : Directory.CreateDirectory(folder, FolderMode);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, FolderMode);
            _inner = new FileSystemXmlRepository(_folder, loggers);
        }

        public IReadOnlyCollection<XElement> GetAllElements() => _inner.GetAllElements();

        public void StoreElement(XElement element, string friendlyName)
        {
            _inner.StoreElement(element, friendlyName);
            if (OperatingSystem.IsWindows()) return;
            foreach (var file in _folder.EnumerateFiles("*.xml")) File.SetUnixFileMode(file.FullName, FileMode);
        }
    }
}
