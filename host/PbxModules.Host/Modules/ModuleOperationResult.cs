namespace PbxModules.Host.Modules;

/// <summary>How an enable, disable or uninstall request ended.</summary>
public enum ModuleOperationStatus
{
    /// <summary>Done (or there was nothing to do).</summary>
    Done,

    /// <summary>No module with that id.</summary>
    NotFound,

    /// <summary>Refused: the module vetoed it, or another module depends on it, or its manifest is invalid.</summary>
    Refused,

    /// <summary>Tried and failed: the module could not be loaded or a hook threw; the module is now Failed. REST answers 409 with the reason, as for <see cref="Refused"/>.</summary>
    Failed,
}

/// <summary>The outcome of a module operation, with a message for the administrator.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Message">What happened, or why not.</param>
/// <param name="Module">The module's state afterwards; null when not found or uninstalled.</param>
public sealed record ModuleOperationResult(ModuleOperationStatus Status, string Message, ModuleInfo? Module)
{
    /// <summary>For a refusal about a package (install, upgrade, uninstall): which problem; null otherwise.</summary>
    public Packages.PackageRefusalCode? Code { get; init; }
}
