using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;
using PbxModules.Sdk.Agi;

namespace PbxModules.Host.Agi;

/// <summary>
/// Routes each FastAGI session, by its path <c>&lt;module-id&gt;/&lt;handler&gt;</c>, to the handler of an
/// enabled module, run in a fresh DI scope of the module's container with a time budget. Whatever
/// happens, no exception reaches the server and the call goes on in the dialplan; the channel
/// variable <c>PBXMODULES_STATUS</c> says how it went (<see cref="AgiStatus"/>). Failures of the module's
/// own code count toward its crash-loop breaker (<see cref="ModuleCrashBreaker"/>), and a quarantined
/// module's handlers are not run; what Asterisk does (5xx answers, hang-ups, a lost connection, a
/// command held past the budget) never counts, so that no peer can take a module out of service.
/// </summary>
public sealed partial class AgiRouter(
    ModuleCrashBreaker breaker,
    IModuleRegistry modules,
    IOptionsMonitor<AgiRoutingOptions> options,
    IOptionsMonitor<ModuleHostOptions> hostOptions,
    TimeProvider time,
    ILogger<AgiRouter> logger,
    AgiHandlerDispatch dispatch) : IAgiSessionHandler, IModuleActivationListener
{
    public ActivationOrder Order => ActivationOrder.Agi;

    private readonly ConcurrentDictionary<string, ModuleAgiRoutes> _modules = new(StringComparer.Ordinal);

    // Cancelled (and replaced) whenever a module's routes are wired in: what sessions waiting on an upgrade wake on.
    private CancellationTokenSource _routesChanged = new();

    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var path = channel.Request.Path;
        var slash = path.IndexOf('/');
        var moduleId = slash < 0 ? path : path[..slash];
        var handlerName = slash < 0 ? string.Empty : path[(slash + 1)..];

        var routes = await FindRoutesAsync(moduleId, cancellationToken);
        if (routes is null)
        {
            var state = modules.GetModule(moduleId)?.State;
            // A module still listed Enabled but without routes is being disabled (its routes go
            // first, then sessions drain): saying "is enabled" next to DISABLED misled the reader.
            var (status, message) = state switch
            {
                null => (AgiStatus.NotFound, $"PbxModules: no module '{moduleId}' is installed (AGI path '{path}')"),
                _ when modules.IsUpgrading(moduleId) => (AgiStatus.Disabled, $"PbxModules: module '{moduleId}' is being upgraded and did not come back within {hostOptions.CurrentValue.DrainTimeout.TotalSeconds:0.###} s (AGI path '{path}')"),
                ModuleState.Enabled => (AgiStatus.Disabled, $"PbxModules: module '{moduleId}' is being disabled (AGI path '{path}')"),
                _ => (AgiStatus.Disabled, $"PbxModules: module '{moduleId}' is {state.ToString()!.ToLowerInvariant()} (AGI path '{path}')"),
            };
            LogUnroutable(logger, path, status, channel.Request.Channel);
            await ReportAsync(channel, status, message, cancellationToken);
            return;
        }
        if (!routes.Handlers.TryGetValue(handlerName, out var handler))
        {
            LogUnroutable(logger, path, AgiStatus.NotFound, channel.Request.Channel);
            await ReportAsync(channel, AgiStatus.NotFound, $"PbxModules: module '{moduleId}' has no AGI handler '{handlerName}' (it has: {string.Join(", ", routes.Handlers.Keys)})", cancellationToken);
            return;
        }
        if (!routes.Gate.TryEnter())
        {
            // Found just before an upgrade began to drain them: wait for the version that comes next.
            var next = modules.IsUpgrading(moduleId) ? await FindRoutesAsync(moduleId, cancellationToken) : null;
            if (next is null || !next.Handlers.TryGetValue(handlerName, out handler) || !next.Gate.TryEnter())
            {
                await ReportAsync(channel, AgiStatus.Disabled, $"PbxModules: module '{moduleId}' is being {(modules.IsUpgrading(moduleId) ? "upgraded" : "disabled")}", cancellationToken);
                return;
            }
            routes = next;
        }

        try
        {
            await RunAsync(channel, routes, handlerName, handler.Type, handler.TimeoutSeconds, cancellationToken);
        }
        finally
        {
            routes.Gate.Leave();
        }
    }

    /// <summary>
    /// The routes a new session of <paramref name="moduleId"/> goes to. While the module is being upgraded
    /// (<see cref="IModuleRegistry.IsUpgrading"/>) a new session is not turned away: the routes it found
    /// (the old version's, about to drain) do not take it, and it waits, up to <c>ModuleHost:DrainTimeout</c>,
    /// for routes wired in since (the new version's, or the old one's put back by a roll-back) or for the
    /// upgrade to end. Sessions already in flight finish on the old version: the drain waits for them.
    /// </summary>
    private async Task<ModuleAgiRoutes?> FindRoutesAsync(string moduleId, CancellationToken sessionToken)
    {
        var found = _modules.GetValueOrDefault(moduleId);
        if (!modules.IsUpgrading(moduleId)) return found;
        var stale = found;
        LogWaitingForUpgrade(logger, moduleId, hostOptions.CurrentValue.DrainTimeout.TotalSeconds);
        using var deadline = new CancellationTokenSource(hostOptions.CurrentValue.DrainTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(sessionToken, deadline.Token);
        while (true)
        {
            // The tokens are taken before looking, so a change right after the look still wakes this session.
            var registryChanged = modules.GetChangeToken();
            var routesChanged = Volatile.Read(ref _routesChanged).Token;
            var routes = _modules.GetValueOrDefault(moduleId);
            if (routes is not null && !ReferenceEquals(routes, stale)) return routes;
            if (!modules.IsUpgrading(moduleId)) return routes;
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (registryChanged.RegisterChangeCallback(static s => ((TaskCompletionSource)s!).TrySetResult(), changed))
            using (routesChanged.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), changed))
            {
                try
                {
                    await changed.Task.WaitAsync(linked.Token);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !sessionToken.IsCancellationRequested)
                {
                    var last = _modules.GetValueOrDefault(moduleId);
                    return ReferenceEquals(last, stale) ? null : last;
                }
            }
        }
    }

    private async Task RunAsync(IAgiChannel channel, ModuleAgiRoutes routes, string handlerName, Type handlerType, int timeoutSeconds, CancellationToken sessionToken)
    {
        var moduleId = routes.Module.Id;
        var admission = breaker.Admit(moduleId);
        if (admission.Refused is { } quarantine)
        {
            // Not run at all: a non-OK status sends the module's dialplan to its fail mode (open or closed).
            LogQuarantinedCall(logger, moduleId, handlerName, channel.Request.Channel, quarantine.RetryAt);
            await ReportAsync(channel, AgiStatus.Quarantined,
                $"PbxModules: module '{moduleId}' is quarantined until {quarantine.RetryAt:u} ({quarantine.Reason}); its handlers do not run", sessionToken);
            return;
        }

        var budget = Budget(moduleId, handlerName, timeoutSeconds);
        var state = channel as IAgiChannelState;
        using var budgetCts = new CancellationTokenSource(budget, time);
        // What Asterisk still owed at the moment the budget ran out: a handler waiting on Asterisk is not at fault.
        var watch = new BudgetWatch(state);
        using var budgetRegistration = budgetCts.Token.UnsafeRegister(static w => ((BudgetWatch)w!).Expired(), watch);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(sessionToken, budgetCts.Token, routes.Gate.AbortToken);
        string status;
        string? message = null;
        var judged = false;
        Exception? escaped = null;
        bool Escaping(Exception ex)
        {
            escaped = ex;
            return false;
        }
        try
        {
            await using var scope = routes.Module.Services.CreateAsyncScope();
            var instance = (IAgiHandler)scope.ServiceProvider.GetRequiredService(handlerType);
            await instance.HandleAsync(channel, linked.Token);
            status = AgiStatus.Ok;
            breaker.RecordSuccess(moduleId);
            judged = true;
        }
        catch (Exception ex) when (Escaping(ex))
        {
            // Never taken: the filter only notes what escaped the handler, for the dispatch below.
            throw;
        }
        catch (Exception) when (IsGone(channel))
        {
            // The caller hung up (or the handler ended the call): whatever the handler threw about it,
            // there is nobody to tell, and it says nothing about the module.
            return;
        }
        catch (OperationCanceledException) when (budgetCts.IsCancellationRequested)
        {
            status = AgiStatus.Timeout;
            message = $"PbxModules: {moduleId}/{handlerName} exceeded its {budget.TotalSeconds:0.###} s budget";
            if (watch.HeldCommand is { } held)
            {
                LogTimeoutHeldByAsterisk(logger, moduleId, handlerName, budget.TotalSeconds, held, channel.Request.Channel, channel.Request.UniqueId);
            }
            else
            {
                LogTimeout(logger, moduleId, handlerName, channel.Request.Channel, channel.Request.UniqueId, budget.TotalSeconds);
                breaker.RecordFailure(moduleId, $"AGI handler '{handlerName}' exceeded its {budget.TotalSeconds:0.###} s budget while Asterisk owed it no reply");
                judged = true;
            }
        }
        catch (OperationCanceledException) when (sessionToken.IsCancellationRequested || routes.Gate.AbortToken.IsCancellationRequested)
        {
            // Host stopping, session limit, or the module being disabled: not the handler's fault.
            status = routes.Gate.AbortToken.IsCancellationRequested ? AgiStatus.Disabled : AgiStatus.Error;
        }
        catch (Exception ex) when (AgiFailures.IsAsteriskSide(ex) is { } asterisk)
        {
            // Asterisk refused a command (5xx, 200 result=-1), said the channel is dead, broke the protocol
            // or dropped the connection: the call could not be served, but the module's code did not fail,
            // and a peer must not be able to take a module out of service by answering this way.
            status = AgiStatus.Error;
            message = $"PbxModules: {moduleId}/{handlerName} stopped: {asterisk.Message}";
            LogAsteriskFailed(logger, moduleId, handlerName, channel.Request.Channel, channel.Request.UniqueId, asterisk.GetType().Name, OneLine(asterisk.Message));
        }
        catch (Exception ex)
        {
            status = AgiStatus.Error;
            message = $"PbxModules: {moduleId}/{handlerName} failed: {ex.GetType().Name}";
            LogHandlerFailed(logger, ex, moduleId, handlerName, channel.Request.Channel, channel.Request.UniqueId);
            breaker.RecordFailure(moduleId, $"AGI handler '{handlerName}' threw {ex.GetType().Name}: {ex.Message}");
            judged = true;
        }
        finally
        {
            if (admission.IsProbe && !judged) breaker.ReleaseProbe(moduleId);
            dispatch.OnEnded(channel.Request, escaped);
        }
        await ReportAsync(channel, status, message, sessionToken);
    }

    /// <summary>The handler's budget: <c>Agi:HandlerTimeouts:&lt;module&gt;:&lt;handler&gt;</c>, else its attribute's, else <c>Agi:HandlerTimeout</c>.</summary>
    private TimeSpan Budget(string moduleId, string handlerName, int timeoutSeconds)
    {
        var settings = options.CurrentValue;
        if (settings.HandlerTimeouts.TryGetValue(moduleId, out var handlers) && handlers.TryGetValue(handlerName, out var configured)) return configured;
        return timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : settings.HandlerTimeout;
    }

    private static bool IsGone(IAgiChannel channel) => channel.IsHungUp || (channel is IAgiChannelState { IsChannelGone: true });

    /// <summary>Sets <c>PBXMODULES_STATUS</c> (and a VERBOSE line for problems); never throws.</summary>
    private async Task ReportAsync(IAgiChannel channel, string status, string? verbose, CancellationToken cancellationToken)
    {
        // After a hang-up nothing in the dialplan runs: setting the status would be a wasted round trip
        // (fixture fastagi_after_hangup). That includes a HANGUP the handler sent itself, whose reply can
        // arrive before Asterisk's own HANGUP line.
        if (IsGone(channel)) return;
        try
        {
            if (verbose is not null) await channel.VerboseAsync(OneLine(verbose), 1, cancellationToken);
            await channel.SetVariableAsync(AgiStatus.VariableName, status, cancellationToken);
        }
        catch (Exception ex) when (ex is AgiHangupException or OperationCanceledException or AgiCommandException or IOException)
        {
            LogStatusNotSet(logger, status, channel.Request.Channel, ex.Message);
        }
    }

    // A VERBOSE is one AGI line: messages quoting Asterisk (a 520 usage block) or a module's exception can span several.
    private static string OneLine(string text)
    {
        const int MaxLength = 1024;
        var line = string.Join(' ', text.Split(['\r', '\n', '\0'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxLength ? line : line[..MaxLength] + "…";
    }

    /// <summary>Notes, when the budget runs out, which command (if any) Asterisk had not answered yet.</summary>
    private sealed class BudgetWatch(IAgiChannelState? state)
    {
        private volatile string? _held;

        public string? HeldCommand => _held;

        public void Expired() => _held = state?.CommandAwaitingReply;
    }

    public Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        // Registered even without handlers, so that a wrong handler name says NOT_FOUND, not DISABLED.
        _modules[module.Id] = new ModuleAgiRoutes(module, time);
        // Not disposed: a source without a timer holds nothing, and a waiting session may still hold its token.
        Interlocked.Exchange(ref _routesChanged, new CancellationTokenSource()).Cancel();
        return Task.CompletedTask;
    }

    public async Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        if (!_modules.TryRemove(module.Id, out var routes)) return;
        var drained = await routes.Gate.DrainAsync(hostOptions.CurrentValue.DrainTimeout, cancellationToken);
        if (drained.Aborted > 0) LogDrainAborted(logger, module.Id, drained.Aborted, drained.StillRunning);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An AGI session for module {ModuleId} waits up to {Seconds:0.###} s for the module's upgrade to finish (ModuleHost:DrainTimeout)")]
    private static partial void LogWaitingForUpgrade(ILogger logger, string moduleId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AGI path '{Path}' not routed ({Status}) for channel {Channel}")]
    private static partial void LogUnroutable(ILogger logger, string path, string status, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "AGI handler {ModuleId}/{Handler} failed on channel {Channel} (uniqueid {UniqueId}); the call continues in the dialplan")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string moduleId, string handler, string channel, string uniqueId);

    [LoggerMessage(Level = LogLevel.Error, Message = "AGI handler {ModuleId}/{Handler} exceeded its {Seconds:0} s budget on channel {Channel} (uniqueid {UniqueId}); the call continues in the dialplan")]
    private static partial void LogTimeout(ILogger logger, string moduleId, string handler, string channel, string uniqueId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AGI handler {ModuleId}/{Handler} ran out of its {Seconds:0.###} s budget on channel {Channel} (uniqueid {UniqueId}) while Asterisk had not answered '{Command}': Asterisk is slow or wedged, not counted against the module")]
    private static partial void LogTimeoutHeldByAsterisk(ILogger logger, string moduleId, string handler, double seconds, string command, string channel, string uniqueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AGI handler {ModuleId}/{Handler} stopped on channel {Channel} (uniqueid {UniqueId}) because of Asterisk ({Kind}: {Reason}); the call continues in the dialplan, not counted against the module")]
    private static partial void LogAsteriskFailed(ILogger logger, string moduleId, string handler, string channel, string uniqueId, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "AGI handler {ModuleId}/{Handler} not run on channel {Channel}: the module is quarantined until {RetryAt:u}")]
    private static partial void LogQuarantinedCall(ILogger logger, string moduleId, string handler, string channel, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not set {Status} on channel {Channel}: {Reason}")]
    private static partial void LogStatusNotSet(ILogger logger, string status, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId}: {Count} AGI session(s) did not finish in time and were cancelled while disabling ({StillRunning} still running after the grace)")]
    private static partial void LogDrainAborted(ILogger logger, string moduleId, int count, int stillRunning);
}
