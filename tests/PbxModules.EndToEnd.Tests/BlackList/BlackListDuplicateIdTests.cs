using System.Net;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// A folder that claims <c>module-black-list</c> with a corrupt dll must not take the blacklist down
/// (both Failed: REST 404, AGI DISABLED, calls fail open): the installed module keeps its id and
/// answers its REST and AGI; the newcomer is listed Failed under its folder name with the reason.
/// Also, on the same daemon runs: enabling logs no EF Core warning and a graceful stop logs no failure.
/// </summary>
public sealed class BlackListDuplicateIdTests : IAsyncLifetime
{
    private const string ModuleId = "module-black-list";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("pbxmodules-e2e-dup-").FullName;
    private PbxDaemon? _daemon;

    private PbxDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [Theory]
    [InlineData("AAA-impostor")]
    [InlineData("zzz-impostor")]
    public async Task On_a_first_start_a_corrupt_folder_claiming_the_id_is_refused_whichever_sorts_first(string impostorFolder)
    {
        var modules = ModuleFolders.Install(_root);
        AddCorruptImpostor(modules, impostorFolder);

        await StartAsync(modules);

        await AssertTheRealOneAnswersAndTheImpostorIsListedAsync(modules, impostorFolder, "+14155550101");
    }

    [Fact]
    public async Task The_recorded_module_keeps_its_id_against_a_newcomer_and_enable_and_stop_log_no_warning_or_failure()
    {
        var modules = ModuleFolders.Install(_root);
        await StartAsync(modules);
        await PostAsync($"/pbxcore/api/v3/modules/{ModuleId}:disable");
        await PostAsync($"/pbxcore/api/v3/modules/{ModuleId}:enable");
        await BlackListRest.WaitForModuleAsync(Daemon.Http);
        await Daemon.StopAsync();
        var output = Daemon.Output;
        Assert.Equal(0, Daemon.ExitCode);
        Assert.DoesNotContain("warn: Microsoft.EntityFrameworkCore", output, StringComparison.Ordinal);
        var failures = output.Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, "the run logged:\n" + string.Join("\n", failures) + "\n\n" + output);
        await Daemon.DisposeAsync();
        _daemon = null;

        // "AAA-impostor" sorts before "ModuleBlackList": the record, not the order, decides.
        AddCorruptImpostor(modules, "AAA-impostor");
        await StartAsync(modules);

        await AssertTheRealOneAnswersAndTheImpostorIsListedAsync(modules, "AAA-impostor", "+14155550102");
    }

    /// <summary>The manifest of ModuleBlackList, beside an assembly that is garbage.</summary>
    private static void AddCorruptImpostor(string modules, string folder)
    {
        var path = Path.Combine(modules, folder);
        Directory.CreateDirectory(path);
        File.Copy(Path.Combine(modules, "ModuleBlackList", "module.json"), Path.Combine(path, "module.json"));
        File.WriteAllBytes(Path.Combine(path, "ModuleBlackList.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]);
    }

    private async Task StartAsync(string modules)
    {
        _daemon = await TestDaemon.StartAsync(_root, new Dictionary<string, string> { ["Paths:Modules"] = modules });
        await BlackListRest.WaitForModuleAsync(_daemon.Http);
    }

    private async Task PostAsync(string path)
    {
        var (status, body) = await BlackListRest.SendAsync(Daemon.Http, HttpMethod.Post, path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
    }

    private async Task AssertTheRealOneAnswersAndTheImpostorIsListedAsync(string modules, string impostorFolder, string number)
    {
        // REST: the module's own resources answer.
        var (created, rule) = await BlackListRest.SendAsync(Daemon.Http, HttpMethod.Post, $"/pbxcore/api/v3/{ModuleId}/numbers", new { number, description = "duplicate-id test" });
        Assert.True(created == HttpStatusCode.Created, rule.ToString());

        // AGI: the check rejects the listed caller instead of answering DISABLED (fail-open).
        using var timeout = new CancellationTokenSource(Patience);
        var call = await SimulatedAgiCall.ConnectAsync(Daemon.AgiPort, new SimulatedAgiCallOptions { Script = $"{ModuleId}/check", CallerId = number, Arguments = [""] }, timeout.Token);
        await using (call)
            await call.Completion.WaitAsync(timeout.Token);
        Assert.Equal("1", call.Variables.GetValueOrDefault("BLACKLISTED"));
        Assert.NotEqual("DISABLED", call.Variables.GetValueOrDefault("PBXMODULES_STATUS"));

        // The list: the real one under its id, the newcomer under its folder name, each id once.
        var (_, list) = await BlackListRest.GetAsync(Daemon.Http, "/pbxcore/api/v3/modules");
        var listed = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(listed.Count, listed.Select(m => m.GetProperty("id").GetString()).Distinct().Count());
        var real = Assert.Single(listed, m => m.GetProperty("id").GetString() == ModuleId);
        Assert.Equal("Enabled", real.GetProperty("state").GetString());
        Assert.Equal(Path.Combine(modules, "ModuleBlackList"), real.GetProperty("folder").GetString());
        var impostor = Assert.Single(listed, m => m.GetProperty("id").GetString() == $"{ModuleId}@{impostorFolder}");
        Assert.Equal("Failed", impostor.GetProperty("state").GetString());
        Assert.Equal(Path.Combine(modules, impostorFolder), impostor.GetProperty("folder").GetString());
        var reason = impostor.GetProperty("failureReason").GetString();
        Assert.StartsWith($"Field 'id': '{ModuleId}' is already used by the module in '{Path.Combine(modules, "ModuleBlackList")}'", reason, StringComparison.Ordinal);

        // The log says which folder was refused and why.
        Assert.Contains($"Module folder {Path.Combine(modules, impostorFolder)} was refused: it claims id {ModuleId}", Daemon.Output, StringComparison.Ordinal);
    }
}
