using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// Runs a module's lifecycle hooks for one transition: each within <c>ModuleHost:LifecycleTimeout</c>,
/// each at most once per module (a second run is a host bug and throws), and every failure of the
/// module's code (throwing, overrunning) turned into a <see cref="ModuleLoadException"/> whose message
/// says which hook and why. One runner per transition: its record of what ran is the transition's.
/// </summary>
internal sealed class LifecycleHookRunner(TimeSpan timeout, TimeProvider time)
{
    private readonly HashSet<(string ModuleId, LifecycleHook Hook)> _ran = [];

    /// <summary>The hook's name in messages and logs, e.g. <c>before-enable</c>.</summary>
    public static string NameOf(LifecycleHook hook) => hook switch
    {
        LifecycleHook.BeforeEnable => "before-enable",
        LifecycleHook.BeforeDisable => "before-disable",
        _ => hook.ToString().ToLowerInvariant(),
    };

    /// <summary>Runs one hook of a loaded module.</summary>
    public Task RunAsync(LoadedModule module, LifecycleHook hook, Func<IPbxModule, IModuleLifecycleContext, CancellationToken, Task> call, CancellationToken cancellationToken)
        => RunAsync(module.Id, module.EntryPoint, new ModuleLifecycleContext(module.Context, module.Services, module.Context.LoggerFactory.CreateLogger("Lifecycle")), hook, call, cancellationToken);

    /// <summary>Asks a question hook; returns the module's reason when it vetoes, null when it allows.</summary>
    public async Task<string?> AskAsync(LoadedModule module, LifecycleHook hook, Func<IPbxModule, IModuleLifecycleContext, CancellationToken, Task<LifecycleDecision>> question, CancellationToken cancellationToken)
    {
        LifecycleDecision? decision = null;
        await RunAsync(module, hook, async (m, c, t) => decision = await question(m, c, t), cancellationToken);
        return decision is { IsAllowed: false } ? decision.Reason : null;
    }

    /// <summary>Runs one hook on an entry point (the unit under test: no load context needed).</summary>
    internal async Task RunAsync(string moduleId, IPbxModule entryPoint, IModuleLifecycleContext context, LifecycleHook hook, Func<IPbxModule, IModuleLifecycleContext, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var name = NameOf(hook);
        if (!_ran.Add((moduleId, hook)))
            throw new InvalidOperationException($"The {name} hook of module '{moduleId}' already ran in this transition; a transition runs each hook once.");
        using var cts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cts.Token);
        try
        {
            await call(entryPoint, context, linked.Token).WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new ModuleLoadException($"The {name} hook did not finish within {timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModuleLoadException($"The {name} hook did not finish within {timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (Exception ex) when (ex is not ModuleLoadException and not OperationCanceledException)
        {
            throw new ModuleLoadException($"The {name} hook threw {ex.GetType().Name}: {ex.Message}", ex);
        }
        finally
        {
            // The rest of the transition (unloading included) must not run on a thread the module
            // owns, which completed the hook's task: that thread could wait on what we dispose.
            await Task.Yield();
        }
    }
}
