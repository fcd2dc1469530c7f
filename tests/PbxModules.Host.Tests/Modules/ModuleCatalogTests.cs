using System.Text.Json.Nodes;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

public sealed class ModuleCatalogTests : IAsyncLifetime
{
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private void Write(string folder, string id, string version = "1.0.0", string sdk = "^1.0.0", JsonObject? dependsOn = null)
        => _host.WriteManifestOnly(folder, new JsonObject
        {
            ["id"] = id,
            ["name"] = folder,
            ["version"] = version,
            ["sdk"] = sdk,
            ["assembly"] = "x.dll",
            ["dependsOn"] = dependsOn ?? [],
        }.ToJsonString());

    private List<ModuleEntry> Discover() => ModuleCatalog.Discover(_host.ModulesDirectory);

    [Fact]
    public void A_missing_modules_folder_means_no_modules()
    {
        Assert.Empty(ModuleCatalog.Discover(Path.Combine(_host.Root, "nowhere")));
    }

    [Fact]
    public void Every_folder_is_a_module_and_valid_ones_are_not_failed()
    {
        Write("A", "module-a");
        Write("B", "module-b");

        var entries = Discover();

        Assert.Equal(["module-a", "module-b"], entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.Null(e.ManifestError));
        Assert.All(entries, e => Assert.NotEqual(ModuleState.Failed, e.State));
    }

    [Fact]
    public void A_folder_without_a_manifest_is_listed_as_failed_under_its_folder_name()
    {
        Directory.CreateDirectory(Path.Combine(_host.ModulesDirectory, "Stray"));

        var entry = Assert.Single(Discover());

        Assert.Equal("Stray", entry.Id);
        Assert.Equal(ModuleState.Failed, entry.State);
        Assert.Contains("module.json not found", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_folders_with_the_same_id_fail_the_second_naming_the_first()
    {
        Write("First", "module-same");
        Write("Second", "module-same");

        var entries = Discover();

        var first = Assert.Single(entries, e => e.Folder.EndsWith("First", StringComparison.Ordinal));
        var second = Assert.Single(entries, e => e.Folder.EndsWith("Second", StringComparison.Ordinal));
        Assert.Null(first.ManifestError);
        Assert.Equal(ModuleState.Failed, second.State);
        Assert.StartsWith("Field 'id': 'module-same' is already used by the module in", second.Reason, StringComparison.Ordinal);
        Assert.Contains("First", second.Reason, StringComparison.Ordinal);
        var problem = Assert.Single(second.ManifestProblems);
        Assert.Equal(("id", ManifestProblemCode.DuplicateId), (problem.Field, problem.Code));
    }

    [Fact]
    public void A_refused_duplicate_is_listed_under_its_folder_name_so_that_every_id_is_unique()
    {
        Write("First", "module-same");
        Write("Second", "module-same");
        Write("Third", "module-same", sdk: "^9.0.0");

        var entries = Discover();

        Assert.Equal(["module-same", "module-same@Second", "module-same@Third"], entries.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal("module-same", e.ClaimedId));
        Assert.Contains("first with a valid manifest in name order", Assert.Single(entries, e => e.Id == "module-same@Second").Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("First")]
    [InlineData("Second")]
    public void The_folder_recorded_for_an_id_keeps_it_whichever_sorts_first(string recorded)
    {
        Write("First", "module-same");
        Write("Second", "module-same");

        var entries = ModuleCatalog.Discover(_host.ModulesDirectory, new Dictionary<string, string?> { ["module-same"] = recorded });

        var owner = Assert.Single(entries, e => e.Id == "module-same");
        Assert.Equal(recorded, owner.FolderName);
        Assert.Null(owner.ManifestError);
        var other = Assert.Single(entries, e => e.IsRefusedDuplicate);
        Assert.Equal(ModuleState.Failed, other.State);
        Assert.Contains("recorded as installed", other.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_recorded_folder_keeps_its_id_even_when_its_manifest_broke_since()
    {
        Write("First", "module-same");
        Write("Second", "module-same", sdk: "^9.0.0");

        var entries = ModuleCatalog.Discover(_host.ModulesDirectory, new Dictionary<string, string?> { ["module-same"] = "Second" });

        var owner = Assert.Single(entries, e => e.Id == "module-same");
        Assert.Equal("Second", owner.FolderName);
        Assert.Contains("Field 'sdk'", owner.Reason, StringComparison.Ordinal);
        Assert.Equal("First", Assert.Single(entries, e => e.IsRefusedDuplicate).FolderName);
    }

    [Theory]
    [InlineData("module-same")]
    [InlineData("ModuleSame")]
    [InlineData("module_same")]
    public void Without_a_record_the_valid_folder_named_after_the_id_keeps_it(string namedFolder)
    {
        Write("AAA", "module-same");
        Write(namedFolder, "module-same");
        Write("zzz", "module-same");

        var owner = Assert.Single(Discover(), e => e.Id == "module-same");

        Assert.Equal(namedFolder, owner.FolderName);
    }

    [Fact]
    public void Without_a_record_or_a_folder_named_after_the_id_the_first_folder_with_a_valid_manifest_keeps_it()
    {
        Write("A-broken", "module-same", sdk: "^9.0.0");
        Write("B-valid", "module-same");

        var entries = Discover();

        Assert.Equal("B-valid", Assert.Single(entries, e => e.Id == "module-same").FolderName);
        Assert.Equal("module-same@A-broken", Assert.Single(entries, e => e.IsRefusedDuplicate).Id);
    }

    [Fact]
    public void Modules_are_returned_in_dependency_order_whatever_their_folder_names()
    {
        Write("1-Top", "module-top", dependsOn: new JsonObject { ["module-middle"] = "^1.0.0" });
        Write("2-Middle", "module-middle", dependsOn: new JsonObject { ["module-bottom"] = "^1.0.0" });
        Write("3-Bottom", "module-bottom");

        var entries = Discover();

        Assert.Equal(["module-bottom", "module-middle", "module-top"], entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.Null(e.ManifestError));
    }

    [Fact]
    public void A_module_depending_on_a_module_with_an_invalid_manifest_fails_saying_its_dependency_cannot_load()
    {
        Write("Base", "module-base", sdk: "^2.0.0");
        Write("User", "module-user", dependsOn: new JsonObject { ["module-base"] = "^1.0.0" });

        var entries = Discover();

        var user = Assert.Single(entries, e => e.Id == "module-user");
        Assert.Equal(ModuleState.Failed, user.State);
        Assert.StartsWith("Field 'dependsOn': module 'module-base' cannot load", user.Reason, StringComparison.Ordinal);
        Assert.Contains("Field 'sdk'", user.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_errors_are_recorded_on_the_module_that_declared_them()
    {
        Write("A", "module-a", dependsOn: new JsonObject { ["module-b"] = "*" });
        Write("B", "module-b", dependsOn: new JsonObject { ["module-a"] = "*" });
        Write("C", "module-c", dependsOn: new JsonObject { ["module-ghost"] = "^1.0.0" });
        Write("D", "module-d", version: "1.0.0");
        Write("E", "module-e", dependsOn: new JsonObject { ["module-d"] = "^3.0.0" });

        var byId = Discover().ToDictionary(e => e.Id);

        Assert.Contains("dependency cycle", byId["module-a"].Reason, StringComparison.Ordinal);
        Assert.Contains("dependency cycle", byId["module-b"].Reason, StringComparison.Ordinal);
        Assert.Equal("Field 'dependsOn': module 'module-ghost' is not installed. Install it first.", byId["module-c"].Reason);
        Assert.Null(byId["module-d"].ManifestError);
        Assert.StartsWith("Field 'dependsOn.module-d' requires '^3.0.0' but version 1.0.0 is installed", byId["module-e"].Reason, StringComparison.Ordinal);
        Assert.Equal("module-d", Discover()[0].Id);
    }
}
