namespace PbxModules.Host.Dialplan;

/// <summary>Which module wrote which block, for the API.</summary>
/// <param name="ModuleId">The module.</param>
/// <param name="Context">The context the block sits in.</param>
/// <param name="Stage">For the incoming-before-dial hook, the stage; null otherwise.</param>
/// <param name="Order">The contributor's order.</param>
/// <param name="Lines">How many lines it wrote.</param>
public sealed record DialplanBlockInfo(string ModuleId, string Context, string? Stage, int Order, int Lines);
