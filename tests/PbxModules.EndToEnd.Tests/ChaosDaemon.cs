using System.Text.Json;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// Starting the daemon with the misbehaving test module (tests/TestModules/ChaosModule, id
/// <c>test-chaos</c>) and asking it about the module, for the supervision tests.
/// </summary>
internal static class ChaosDaemon
{
    public const string ModuleId = "test-chaos";

    /// <summary>A safety net only: every wait in these tests ends on an observable event long before.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The daemon with ModuleBlackList, ChaosModule and <paramref name="otherModules"/> installed, plus
    /// <paramref name="settings"/>; on an existing <paramref name="root"/>, a restart on the same modules and data.
    /// </summary>
    public static async Task<PbxDaemon> StartAsync(IDictionary<string, string>? settings = null, int? amiPort = null, string? root = null, params string[] otherModules)
    {
        root ??= Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        var modules = Path.Combine(root, "modules");
        if (!Directory.Exists(modules)) ModuleFolders.Install(root, ["ChaosModule", .. otherModules]);
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Paths:Modules"] = modules };
        return await TestDaemon.StartAsync(root, all, amiPort);
    }

    /// <summary>Places one FastAGI call to <c>test-chaos/&lt;handler&gt;</c> and waits for the daemon to end the session.</summary>
    public static async Task<SimulatedAgiCall> CallAsync(PbxDaemon daemon, string handler, CancellationToken cancellationToken, Action<SimulatedAgiCallOptions>? configure = null)
    {
        var options = new SimulatedAgiCallOptions { Script = $"{ModuleId}/{handler}", CallerId = "0912345678" };
        configure?.Invoke(options);
        var call = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, options);
        await call.Completion.WaitAsync(cancellationToken);
        return call;
    }

    /// <summary>The module as <c>GET /pbxcore/api/v3/modules</c> lists it: (state, failureReason).</summary>
    public static async Task<(string State, string? FailureReason)> ModuleAsync(PbxDaemon daemon, CancellationToken cancellationToken, string id = ModuleId)
    {
        using var list = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/modules", cancellationToken));
        var module = list.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);
        return (module.GetProperty("state").GetString()!, module.GetProperty("failureReason").GetString());
    }

    /// <summary>Polls the module list until the module is in <paramref name="state"/>.</summary>
    public static async Task<(string State, string? FailureReason)> WaitForStateAsync(PbxDaemon daemon, string state, CancellationToken cancellationToken, string id = ModuleId)
    {
        while (true)
        {
            var module = await ModuleAsync(daemon, cancellationToken, id);
            if (module.State == state) return module;
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Polls the daemon's output until it contains <paramref name="text"/>.</summary>
    public static async Task WaitForOutputAsync(PbxDaemon daemon, string text, CancellationToken cancellationToken)
    {
        while (!daemon.Output.Contains(text, StringComparison.Ordinal))
            await Task.Delay(50, cancellationToken);
    }

    /// <summary>The <c>data</c> of one /healthz component.</summary>
    public static async Task<Dictionary<string, string>> HealthDataAsync(PbxDaemon daemon, string component, CancellationToken cancellationToken)
    {
        using var health = JsonDocument.Parse(await daemon.Http.GetStringAsync("/healthz", cancellationToken));
        return health.RootElement.GetProperty("components").GetProperty(component).GetProperty("data").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
    }
}
