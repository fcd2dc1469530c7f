namespace PbxModules.Host.Packages;

/// <summary>A refused package: what is wrong, in a message that names the problem and says what to do.</summary>
public sealed record PackageRefusal(PackageRefusalCode Code, string Message);
