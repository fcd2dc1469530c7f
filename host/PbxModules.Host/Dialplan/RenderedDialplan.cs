namespace PbxModules.Host.Dialplan;

/// <summary>The rendered <c>extensions_modules.conf</c> and how it was made.</summary>
/// <param name="Text">The file's content.</param>
/// <param name="Blocks">Which module wrote each block, in file order.</param>
/// <param name="Warnings">Contributions left out, and why.</param>
public sealed record RenderedDialplan(string Text, IReadOnlyList<DialplanBlockInfo> Blocks, IReadOnlyList<string> Warnings);
