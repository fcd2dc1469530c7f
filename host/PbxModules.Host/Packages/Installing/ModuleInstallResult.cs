using PbxModules.Host.Modules;

namespace PbxModules.Host.Packages.Installing;

/// <summary>How an install or upgrade request ended.</summary>
public enum ModuleInstallStatus
{
    /// <summary>Done, or there was nothing to do (already at the newest version).</summary>
    Done,

    /// <summary>Refused before anything installed was touched (<see cref="ModuleInstallResult.Code"/> says why), or refused by the manager.</summary>
    Refused,

    /// <summary>A transition was tried and failed (a hook threw, the new version did not load); the manager put back what was there.</summary>
    Failed,
}

/// <summary>The outcome of an install or upgrade, with a message for the administrator.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Message">What happened, or why not, naming the problem and what to do.</param>
/// <param name="Module">The module's state afterwards; null when nothing of it is installed.</param>
/// <param name="Code">For a refusal about a package: which problem; null for a failure that is not the package's (a hook threw).</param>
public sealed record ModuleInstallResult(ModuleInstallStatus Status, string Message, ModuleInfo? Module, PackageRefusalCode? Code)
{
    /// <summary>The dependencies this request installed (id@version), in the order they were installed; also on a failure of a later step.</summary>
    public IReadOnlyList<string> InstalledDependencies { get; init; } = [];

    /// <summary>Done, with the module as it is now.</summary>
    public static ModuleInstallResult Done(string message, ModuleInfo? module) => new(ModuleInstallStatus.Done, message, module, null);

    /// <summary>Refused for <paramref name="refusal"/>; nothing was installed.</summary>
    public static ModuleInstallResult Refused(PackageRefusal refusal, ModuleInfo? module = null) => new(ModuleInstallStatus.Refused, refusal.Message, module, refusal.Code);

    /// <summary>Refused with <paramref name="code"/>; nothing was installed.</summary>
    public static ModuleInstallResult Refused(PackageRefusalCode code, string message, ModuleInfo? module = null) => new(ModuleInstallStatus.Refused, message, module, code);

    /// <summary>What a transition of the manager answered.</summary>
    public static ModuleInstallResult From(ModuleOperationResult result) => result.Status switch
    {
        ModuleOperationStatus.Done => Done(result.Message, result.Module),
        ModuleOperationStatus.NotFound => new(ModuleInstallStatus.Refused, result.Message, result.Module, result.Code ?? PackageRefusalCode.NotInstalled),
        ModuleOperationStatus.Refused => new(ModuleInstallStatus.Refused, result.Message, result.Module, result.Code),
        _ => new(ModuleInstallStatus.Failed, result.Message, result.Module, result.Code),
    };
}
