using PbxModules.Sdk.Dialplan;

namespace PbxModules.Host.Dialplan;

/// <summary>One contributor's output, with where it sorts.</summary>
/// <param name="ModuleId">The contributing module.</param>
/// <param name="Order">The contributor's order.</param>
/// <param name="Builder">What it built.</param>
public sealed record DialplanContribution(string ModuleId, int Order, DialplanBuilder Builder);
