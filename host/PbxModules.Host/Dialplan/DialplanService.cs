using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Host.Configuration;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Dialplan;

/// <summary>
/// Keeps <c>extensions_modules.conf</c> in step with the enabled modules: composes every enabled
/// module's contributors, renders, writes atomically only when the content changed, then asks
/// Asterisk to <c>dialplan reload</c> over AMI. Runs once at start-up (after all modules are up)
/// and on every enable and disable. A reload that could not be sent (AMI down) is retried by
/// <see cref="ReloadIfPendingAsync"/> when AMI connects.
/// </summary>
public sealed partial class DialplanService(
    IOptions<DialplanOptions> options,
    IOptions<PathsOptions> paths,
    IOptions<FastAgiOptions> agiListener,
    IOptions<AgiDialplanOptions> agiDialplan,
    TimeProvider time,
    ILogger<DialplanService> logger,
    IAmiClient? ami = null) : IModuleActivationListener
{
    public ActivationOrder Order => ActivationOrder.Dialplan;

    private readonly ConcurrentDictionary<string, LoadedModule> _enabled = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _started;
    private volatile bool _reloadPending;

    /// <summary>What was last rendered; null before the first apply.</summary>
    public RenderedDialplan? Current { get; private set; }

    /// <summary>How the last apply went; null before the first.</summary>
    public DialplanApplyStatus? LastStatus { get; private set; }

    /// <summary>The full path of <c>extensions_modules.conf</c>.</summary>
    public string FilePath => Path.Combine(paths.Value.AsteriskConfigFullPath, options.Value.FileName);

    /// <summary>The AGI base URL written into hooks: <c>Dialplan:AgiBaseUrl</c>, else the address Asterisk dials (<see cref="AgiDialplanAddress"/>).</summary>
    public string AgiBaseUrl => options.Value.AgiBaseUrl is { Length: > 0 } url
        ? url.TrimEnd('/')
        : AgiDialplanAddress.BaseUrl(agiListener.Value.Address, agiListener.Value.Port, agiDialplan.Value.DialplanAddress);

    public async Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        _enabled[module.Id] = module;
        if (_started) await ApplyAsync(cancellationToken);
    }

    public async Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        if (!_enabled.TryRemove(module.Id, out _)) return;
        if (_started) await ApplyAsync(cancellationToken);
    }

    /// <summary>
    /// Stops following modules: called when the host stops, before the modules are wired out. Stopping
    /// the daemon is not disabling its modules: without this, every shutdown would rewrite the file without
    /// any module's lines (and reload Asterisk), so the PBX would run without the hooks while the daemon
    /// is down, and each restart would write and reload twice although nothing changed.
    /// </summary>
    public void StopFollowingModules() => _started = false;

    /// <summary>Composes, renders, writes if changed and reloads. Never throws for a module's or the disk's sake.</summary>
    public async Task<DialplanApplyStatus> ApplyAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _started = true;
            var rendered = await ComposeAsync(cancellationToken);
            Current = rendered;
            foreach (var warning in rendered.Warnings) LogLeftOut(logger, warning);

            var changed = false;
            string? error = null;
            try
            {
                var existing = await AtomicFile.ReadAllTextOrNullAsync(FilePath, cancellationToken);
                if (existing != rendered.Text)
                {
                    await AtomicFile.WriteAllTextAsync(FilePath, rendered.Text, cancellationToken);
                    changed = true;
                    _reloadPending = true;
                    LogWritten(logger, FilePath, rendered.Blocks.Count);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = Text.Sentences.Join($"Could not write {FilePath}: {ex.Message}", "The previous file is unchanged; check free space and permissions of Paths:AsteriskConfig.");
                LogWriteFailed(logger, ex, FilePath);
            }

            var writeFailed = error is not null;
            var reloaded = false;
            if (error is null && _reloadPending) (reloaded, error) = await ReloadAsync(cancellationToken);
            LastStatus = new DialplanApplyStatus(FilePath, time.GetUtcNow(), changed, reloaded, error) { WriteFailed = writeFailed };
            return LastStatus;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends a reload that could not be sent before (call when AMI (re)connects).</summary>
    public async Task ReloadIfPendingAsync(CancellationToken cancellationToken)
    {
        if (!_reloadPending) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_reloadPending) return;
            var (reloaded, error) = await ReloadAsync(cancellationToken);
            if (LastStatus is { } s) LastStatus = s with { Reloaded = reloaded, Error = error };
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RenderedDialplan> ComposeAsync(CancellationToken cancellationToken)
    {
        var contributions = new List<DialplanContribution>();
        var warnings = new List<string>();
        foreach (var module in _enabled.Values.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            foreach (var contribution in module.Contributions.Where(c => c.Kind == ContributionKind.Dialplan))
            {
                try
                {
                    var contributor = (IDialplanContributor)module.Services.GetRequiredService(contribution.ImplementationType);
                    var builder = new DialplanBuilder(module.Id, AgiBaseUrl);
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    cts.CancelAfter(options.Value.ContributorTimeout);
                    await contributor.ContributeAsync(builder, cts.Token).AsTask().WaitAsync(options.Value.ContributorTimeout, cancellationToken);
                    contributions.Add(new DialplanContribution(module.Id, contributor.Order, builder));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    var reason = ex is TimeoutException or OperationCanceledException
                        ? $"it did not finish within {options.Value.ContributorTimeout.TotalSeconds:0} s"
                        : $"{ex.GetType().Name}: {ex.Message}";
                    warnings.Add($"Module '{module.Id}' left out of the dialplan: {contribution.ImplementationType.Name} failed ({reason}).");
                    LogContributorFailed(logger, ex, module.Id, contribution.ImplementationType.Name);
                }
            }
        }
        return DialplanRenderer.Render(contributions, warnings);
    }

    private async Task<(bool Reloaded, string? Error)> ReloadAsync(CancellationToken cancellationToken)
    {
        if (ami is null) return (false, "No AMI client is configured: reload the dialplan in Asterisk by hand (`dialplan reload`).");
        try
        {
            var response = await ami.SendAsync(new AmiAction("Command").With("Command", "dialplan reload"), cancellationToken);
            if (!response.IsSuccess)
                return (false, $"Asterisk refused 'dialplan reload': {response.Message ?? string.Join(" ", response.Output)}");
            _reloadPending = false;
            LogReloaded(logger);
            return (true, null);
        }
        catch (Exception ex) when (ex is AmiNotConnectedException or TimeoutException)
        {
            // Not an error of the dialplan: it is sent as soon as AMI is back.
            LogReloadDeferred(logger, ex.Message);
            return (false, $"Dialplan written; reload pending until AMI connects ({ex.Message}).");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote {Path} ({Blocks} module block(s))")]
    private static partial void LogWritten(ILogger logger, string path, int blocks);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Path}; the previous file is unchanged. Check free space and permissions")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogLeftOut(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dialplan contributor {Contributor} of module {ModuleId} failed; the module's lines are left out")]
    private static partial void LogContributorFailed(ILogger logger, Exception exception, string moduleId, string contributor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asterisk reloaded the dialplan")]
    private static partial void LogReloaded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dialplan reload deferred until AMI connects: {Reason}")]
    private static partial void LogReloadDeferred(ILogger logger, string reason);
}
