namespace PbxModules.Host.Packages.Feeds;

/// <summary>
/// A download from the feeds that could not be done: the package is larger than <c>Modules:MaxPackageBytes</c>
/// (<see cref="PackageRefusalCode.TooLarge"/>), or no feed that answered has it while another could not be read
/// (<see cref="PackageRefusalCode.FeedUnavailable"/>). The message names the package, the feed and what to do.
/// </summary>
public sealed class ModuleFeedException(PackageRefusalCode code, string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>Why, as the install refusal that follows from it.</summary>
    public PackageRefusalCode Code { get; } = code;

    /// <summary>The refusal to answer with.</summary>
    public PackageRefusal ToRefusal() => new(Code, Message);
}
