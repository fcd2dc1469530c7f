using PbxModules.Host.Modules;
using PbxModules.Host.Packages;

namespace PbxModules.Host.Rest;

/// <summary>The JSON body of <c>POST /modules:install</c>: a module from the feeds.</summary>
/// <param name="Id">The module id (the package id).</param>
/// <param name="Version">A version (e.g. <c>1.2.0</c>); null for the newest version on the feeds this host's SDK runs.</param>
/// <param name="Enable">Enable the module once installed; default true.</param>
internal sealed record InstallFromFeedRequest(string? Id, string? Version, bool? Enable);

/// <summary>The JSON body of <c>POST /modules/{id}:upgrade</c> (an empty body means: the newest version on the feeds).</summary>
/// <param name="Version">A version; null for the newest version on the feeds this host's SDK runs.</param>
/// <param name="AllowDowngrade">Allow a version older than the installed one; default false.</param>
internal sealed record UpgradeRequest(string? Version, bool? AllowDowngrade);

/// <summary>The <c>data</c> of a refused or failed install or upgrade.</summary>
/// <param name="Code">Which problem (<see cref="PackageRefusalCode"/>, as a string); null when the failure is not the package's (a lifecycle hook threw, the module failed to load).</param>
/// <param name="Module">The module as it is now, when it is installed; null otherwise.</param>
internal sealed record ModuleInstallRefusal(PackageRefusalCode? Code, ModuleInfo? Module);
