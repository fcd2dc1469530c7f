using PbxModules.Sdk.Dialplan;

namespace PbxModules.Host.Dialplan;

/// <summary>One contributor's output, with where it sorts.</summary>
/// <param name="ModuleId">The contributing module.</param>
/// <param name="Order">The contributor's order.</param>
/// <param name="Builder">What it built.</param>
public sealed record DialplanContribution(string ModuleId, int Order, DialplanBuilder Builder);

/// <summary>Which module wrote which block, for the API.</summary>
/// <param name="ModuleId">The module.</param>
/// <param name="Context">The context the block sits in.</param>
/// <param name="Stage">For the incoming-before-dial hook, the stage; null otherwise.</param>
/// <param name="Order">The contributor's order.</param>
/// <param name="Lines">How many lines it wrote.</param>
public sealed record DialplanBlockInfo(string ModuleId, string Context, string? Stage, int Order, int Lines);

/// <summary>The rendered <c>extensions_modules.conf</c> and how it was made.</summary>
/// <param name="Text">The file's content.</param>
/// <param name="Blocks">Which module wrote each block, in file order.</param>
/// <param name="Warnings">Contributions left out, and why.</param>
public sealed record RenderedDialplan(string Text, IReadOnlyList<DialplanBlockInfo> Blocks, IReadOnlyList<string> Warnings);
