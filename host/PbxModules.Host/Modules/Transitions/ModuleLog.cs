namespace PbxModules.Host.Modules.Transitions;

/// <summary>What the module manager and its transitions log (under the <see cref="ModuleManager"/> category).</summary>
internal static partial class ModuleLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Count} module folder(s) in {Directory}")]
    public static partial void Discovered(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} {Version} loaded with {Contributions} contribution(s)")]
    public static partial void Loaded(ILogger logger, string moduleId, string version, int contributions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} {Version} installed")]
    public static partial void Installed(ILogger logger, string moduleId, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upgrading module {ModuleId} from {FromVersion} to {ToVersion}: its AGI sessions in flight finish on the old version, new ones wait for the new version (up to ModuleHost:DrainTimeout)")]
    public static partial void Upgrading(ILogger logger, string moduleId, string fromVersion, string toVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} upgraded from {FromVersion} to {ToVersion}")]
    public static partial void Upgraded(ILogger logger, string moduleId, string fromVersion, string toVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} enabled")]
    public static partial void Enabled(ILogger logger, string moduleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} disabled")]
    public static partial void Disabled(ILogger logger, string moduleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId} disabled by the host: {Reason}")]
    public static partial void DisabledAutomatically(ILogger logger, string moduleId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} uninstalled (data kept: {KeepData})")]
    public static partial void Uninstalled(ILogger logger, string moduleId, bool keepData);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId} refused to {Transition}: {Reason}")]
    public static partial void Vetoed(ILogger logger, string moduleId, string transition, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Module {ModuleId} failed: {Reason} The host and the other modules keep running.")]
    public static partial void Failed(ILogger logger, string moduleId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Module {ModuleId} failed: {Reason} The host and the other modules keep running.")]
    public static partial void FailedWithException(ILogger logger, Exception exception, string moduleId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Module folder {Folder} was refused: it claims id {ClaimedId}, which another folder keeps. It is listed as {ListedId}, Failed. {Reason}")]
    public static partial void DuplicateRefused(ILogger logger, string folder, string claimedId, string listedId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Hook} hook of module {ModuleId} failed; going on without it")]
    public static partial void HookFailed(ILogger logger, Exception exception, string moduleId, string hook);

    [LoggerMessage(Level = LogLevel.Error, Message = "The uninstall hook of module {ModuleId} failed; removing the module anyway")]
    public static partial void UninstallHookFailed(ILogger logger, Exception exception, string moduleId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Listener} failed to wire out module {ModuleId}")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, string moduleId, string listener);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unloading module {ModuleId} failed")]
    public static partial void UnloadFailed(ILogger logger, Exception exception, string moduleId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Installing module {ModuleId} {Version} failed after step {Step}; everything it changed was undone. The result of the install says why")]
    public static partial void InstallFailed(ILogger logger, Exception exception, string moduleId, string version, string step);

    [LoggerMessage(Level = LogLevel.Error, Message = "Upgrading module {ModuleId} from {FromVersion} to {ToVersion} failed after step {Step}; the previous version and its data are put back. The result of the upgrade says why")]
    public static partial void UpgradeFailed(ILogger logger, Exception exception, string moduleId, string fromVersion, string toVersion, string step);
}
