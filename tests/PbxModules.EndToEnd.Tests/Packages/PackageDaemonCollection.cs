namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// The tests that start daemons to install and upgrade packages (several starts each): one at a time, so
/// that they do not share the 2 cores of a CI machine with one another, however many test classes there are. They share the packages, built once.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackageDaemonCollection : ICollectionFixture<ModulePackages>
{
    public const string Name = "package daemons";
}
