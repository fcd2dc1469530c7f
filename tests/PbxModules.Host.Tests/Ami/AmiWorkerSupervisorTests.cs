using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Ami;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;
using PbxModules.Sdk.Testing.Ami;

namespace PbxModules.Host.Tests.Ami;

/// <summary>
/// The supervisor of module AMI workers in the module system (in-process, no web host), with the
/// chaos test module's workers on a real loopback AMI connection (the simulated server): enabling
/// starts them, disabling stops every one (one blocked in an event among them) and tells each it
/// stopped, and a worker that cannot be created fails the module after the others were stopped.
/// The workers report what they see as <c>UserEvent</c> actions the simulated server records.
/// </summary>
public sealed class AmiWorkerSupervisorTests : IAsyncLifetime
{
    private const string Id = "test-chaos";
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);
    private static readonly string[] StoppingWorkers = ["Echo", "Flaky", "Blocking"];

    private readonly ModuleHostFixture _host = new();
    private readonly RecordingLogger _log = new();
    private LoopbackAmi _ami = null!;

    public async Task InitializeAsync()
    {
        _ami = await LoopbackAmi.StartAsync(_log, TimeProvider.System);
        _host.AddModule("ChaosModule");
        _host.Set("ModuleHost:DrainTimeout", "00:00:30");
        _host.ConfigureServices = services =>
        {
            services.AddSingleton(_ami.Client);
            services.AddSingleton<IModuleServicesProvider, AmiModuleServices>();
            services.AddOptions<SupervisionOptions>();
            services.AddOptions<AmiWorkerOptions>();
            services.AddSingleton<ModuleCrashBreaker>();
            services.AddSingleton<AmiWorkerDispatch>();
            services.AddSingleton<AmiWorkerSupervisor>();
            services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<AmiWorkerSupervisor>());
        };
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ami.DisposeAsync();
    }

    private AmiWorkerSupervisor Supervisor => _host.Services.GetRequiredService<AmiWorkerSupervisor>();

    private Task<SimulatedAmiAction> ReportedAsync(string userEvent, string header, string value, CancellationToken cancellationToken)
        => _ami.Server.WaitForActionAsync("UserEvent", a => a["UserEvent"] == userEvent && a[header] == value, cancellationToken);

    [Fact]
    public async Task Enabling_starts_the_modules_workers_and_disabling_stops_every_one_even_one_in_the_middle_of_an_event()
    {
        using var timeout = new CancellationTokenSource(Safety);
        await _host.StartAsync();
        Assert.Equal(ModuleState.Enabled, _host.Module(Id).State);
        foreach (var worker in StoppingWorkers) await ReportedAsync("ChaosConnected", "Worker", worker, timeout.Token);
        Assert.Equal(
            ["test-chaos/BlockingWorker", "test-chaos/EchoWorker", "test-chaos/FlakyWorker", "test-chaos/UnstartableWorker"],
            Supervisor.Workers[Id].Select(w => w.Name).Order(StringComparer.Ordinal));

        await _ami.Server.SendEventAsync("UserEvent", ("UserEvent", "ChaosSeq"), ("Seq", "1"));
        await ReportedAsync("ChaosSeen", "Seq", "1", timeout.Token);
        // The blocking worker is now inside its event, until it is cancelled.
        await ReportedAsync("ChaosBlocked", "Seq", "1", timeout.Token);

        var disabled = await _host.Manager.DisableAsync(Id, null, timeout.Token);

        Assert.Equal(ModuleOperationStatus.Done, disabled.Status);
        foreach (var worker in StoppingWorkers) await ReportedAsync("ChaosStopped", "Worker", worker, timeout.Token);
        Assert.False(Supervisor.Workers.ContainsKey(Id));
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains("did not stop within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_worker_that_cannot_be_created_fails_the_module_and_the_workers_already_started_are_stopped()
    {
        using var timeout = new CancellationTokenSource(Safety);
        Directory.CreateDirectory(_host.ModuleDataDirectory(Id));
        File.WriteAllText(Path.Combine(_host.ModuleDataDirectory(Id), "unstartable-worker"), "");

        await _host.StartAsync();

        var module = _host.Module(Id);
        Assert.Equal(ModuleState.Failed, module.State);
        Assert.Contains("chaos: this worker cannot start", module.FailureReason, StringComparison.Ordinal);
        foreach (var worker in StoppingWorkers) await ReportedAsync("ChaosStopped", "Worker", worker, timeout.Token);
        Assert.Empty(Supervisor.Workers);
    }
}
