using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Hosting;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Hosting;

/// <summary>The data-protection key ring is kept under Paths:Data, readable by the daemon's user only, and survives a restart.</summary>
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task Keys_live_in_a_0700_folder_as_0600_files_under_the_data_folder()
    {
        await using var host = await RestHost.StartAsync();
        var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        var secret = protector.Protect("payload");

        var folder = Path.Combine(host.DataDirectory, DataProtectionKeys.FolderName);
        var files = Directory.GetFiles(folder, "*.xml");
        Assert.NotEmpty(files);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            foreach (var file in files) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // Another provider over the same folder (a restarted daemon) reads what this one protected.
        var again = DataProtectionProvider.Create(new DirectoryInfo(folder), b => b.SetApplicationName("pbx-modules")).CreateProtector("test");
        Assert.Equal("payload", again.Unprotect(secret));
    }
}
