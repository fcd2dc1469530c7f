using PbxModules.Host.Configuration;

namespace PbxModules.Host.Tests.Configuration;

/// <summary>
/// {AppBase} in a path: Development's modules folder ({AppBase}/modules) depends on it, and the end-to-end
/// tests give their daemons a modules folder of their own, so it is checked here.
/// </summary>
public sealed class PathsOptionsTests
{
    [Fact]
    public void AppBase_stands_for_the_folder_of_the_daemons_assemblies()
        => Assert.Equal(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "modules")), PathsOptions.Resolve("{AppBase}/modules"));

    [Fact]
    public void A_relative_path_is_relative_to_the_working_directory()
        => Assert.Equal(Path.Combine(Environment.CurrentDirectory, "var", "data"), PathsOptions.Resolve("./var/data"));
}
