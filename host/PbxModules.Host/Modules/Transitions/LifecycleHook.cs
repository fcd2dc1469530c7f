namespace PbxModules.Host.Modules.Transitions;

/// <summary>The lifecycle hooks of <see cref="Sdk.Modules.IPbxModule"/>, each run at most once per transition.</summary>
internal enum LifecycleHook
{
    /// <summary>First install (<c>OnInstallAsync</c>).</summary>
    Install,

    /// <summary>A newer version replaced the installed one (<c>OnUpgradeAsync</c>).</summary>
    Upgrade,

    /// <summary>The question before enabling, which may veto (<c>OnBeforeEnableAsync</c>).</summary>
    BeforeEnable,

    /// <summary><c>OnEnableAsync</c>.</summary>
    Enable,

    /// <summary>The question before disabling, which may veto (<c>OnBeforeDisableAsync</c>).</summary>
    BeforeDisable,

    /// <summary><c>OnDisableAsync</c>.</summary>
    Disable,

    /// <summary><c>OnUninstallAsync</c>.</summary>
    Uninstall,
}
