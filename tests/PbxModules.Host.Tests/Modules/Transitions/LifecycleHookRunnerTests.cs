using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Modules;
using PbxModules.Host.Modules.Transitions;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Tests.Modules.Transitions;

public sealed class LifecycleHookRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly Hooks _module = new();
    private readonly IModuleLifecycleContext _context = new Context();

    private LifecycleHookRunner NewRunner() => new(Timeout, _time);

    [Fact]
    public async Task A_hook_that_overruns_the_timeout_fails_with_the_hook_named_and_is_not_run_again()
    {
        var runner = NewRunner();
        var hook = new TaskCompletionSource();
        _module.Install = _ => hook.Task;

        var run = runner.RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None);
        Assert.False(run.IsCompleted);
        _time.Advance(Timeout);

        var ex = await Assert.ThrowsAsync<ModuleLoadException>(() => run);
        Assert.Equal("The install hook did not finish within 10 s.", ex.Message);
        Assert.Equal(1, _module.Calls);
    }

    [Fact]
    public async Task The_token_the_hook_gets_is_cancelled_when_its_time_is_up()
    {
        var runner = NewRunner();
        CancellationToken seen = default;
        _module.Install = t =>
        {
            seen = t;
            return Task.Delay(System.Threading.Timeout.Infinite, t);
        };

        var run = runner.RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None);
        _time.Advance(Timeout);

        await Assert.ThrowsAsync<ModuleLoadException>(() => run);
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task A_hook_that_finishes_in_time_completes_and_runs_once()
    {
        var runner = NewRunner();
        _module.Install = _ => Task.CompletedTask;

        await runner.RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None);

        Assert.Equal(1, _module.Calls);
    }

    [Fact]
    public async Task A_second_run_of_the_same_hook_in_one_transition_is_refused_without_calling_the_module()
    {
        var runner = NewRunner();
        _module.Install = _ => Task.CompletedTask;
        await runner.RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runner.RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None));

        Assert.Contains("install hook of module 'm' already ran", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _module.Calls);
    }

    [Fact]
    public async Task The_same_hook_runs_for_another_module_and_again_in_the_next_transition()
    {
        _module.Install = _ => Task.CompletedTask;
        var first = NewRunner();
        await first.RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None);
        await first.RunAsync("other", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None);

        await NewRunner().RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None);

        Assert.Equal(3, _module.Calls);
    }

    [Fact]
    public async Task A_hook_that_throws_fails_with_the_exception_named()
    {
        _module.Install = _ => throw new InvalidOperationException("boom");

        var ex = await Assert.ThrowsAsync<ModuleLoadException>(() =>
            NewRunner().RunAsync("m", _module, _context, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), CancellationToken.None));

        Assert.Equal("The install hook threw InvalidOperationException: boom", ex.Message);
    }

    [Theory]
    [InlineData(nameof(LifecycleHook.BeforeEnable), "before-enable")]
    [InlineData(nameof(LifecycleHook.BeforeDisable), "before-disable")]
    [InlineData(nameof(LifecycleHook.Uninstall), "uninstall")]
    public void Hooks_are_named_as_the_log_and_messages_name_them(string hook, string name)
        => Assert.Equal(name, LifecycleHookRunner.NameOf(Enum.Parse<LifecycleHook>(hook)));

    /// <summary>An entry point whose install hook the test sets; counts its calls.</summary>
    private sealed class Hooks : IPbxModule
    {
        public Func<CancellationToken, Task> Install { get; set; } = _ => Task.CompletedTask;

        public int Calls { get; private set; }

        public void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services, IModuleContext context)
        {
        }

        public Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
        {
            Calls++;
            return Install(cancellationToken);
        }
    }

    private sealed class Context : IModuleLifecycleContext
    {
        public IModuleContext Module => throw new NotSupportedException();

        public IServiceProvider Services => throw new NotSupportedException();

        public Microsoft.Extensions.Logging.ILogger Logger => NullLogger.Instance;
    }
}
