using System.Text.Json.Nodes;
using PbxModules.Host.Modules;
using PbxModules.Sdk;

namespace PbxModules.Host.Tests.Modules;

public sealed class ManifestValidatorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pbxmodules-tests", Guid.NewGuid().ToString("N"));

    public ManifestValidatorTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(Path.Combine(_folder, "Good.dll"), []);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonObject ValidManifest() => new()
    {
        ["id"] = "module-good",
        ["name"] = "ModuleGood",
        ["version"] = "1.2.3",
        ["sdk"] = "^1.0.0",
        ["assembly"] = "Good.dll",
        ["description"] = "A module.",
        ["developer"] = "Someone",
        ["supportEmail"] = "someone@example.org",
        ["dependsOn"] = new JsonObject(),
    };

    private ManifestReadResult ValidateWith(Action<JsonObject> edit)
    {
        var manifest = ValidManifest();
        edit(manifest);
        return ManifestValidator.Validate(manifest.ToJsonString(), _folder);
    }

    private static string SingleError(ManifestReadResult result)
    {
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void A_complete_manifest_is_valid_and_its_version_is_parsed()
    {
        var result = ValidateWith(_ => { });

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal("module-good", result.Manifest!.Id);
        Assert.Equal("1.2.3", result.Version!.ToString());
    }

    [Fact]
    public void A_folder_without_module_json_is_refused_naming_the_file()
    {
        var empty = Path.Combine(_folder, "empty");
        Directory.CreateDirectory(empty);

        var error = SingleError(ManifestValidator.ReadFromFolder(empty));

        Assert.Contains("module.json not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_refused_saying_where_the_syntax_breaks()
    {
        var error = SingleError(ManifestValidator.Validate("{ \"id\": \"module-good\", ", _folder));

        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
        Assert.Contains("line 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_in_a_module_folder_is_refused_too()
    {
        File.WriteAllText(Path.Combine(_folder, "module.json"), "not json at all");

        var error = SingleError(ManifestValidator.ReadFromFolder(_folder));

        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_null_manifest_is_refused_as_empty()
    {
        var error = SingleError(ManifestValidator.Validate("null", _folder));

        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_id_is_refused_naming_the_id_field()
    {
        var error = SingleError(ValidateWith(m => m.Remove("id")));

        Assert.StartsWith("Field 'id' is required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ModuleGood")]
    [InlineData("module_good")]
    [InlineData("module--good")]
    [InlineData("-module")]
    [InlineData("module good")]
    public void An_id_that_is_not_kebab_case_is_refused_naming_the_id_field(string id)
    {
        var error = SingleError(ValidateWith(m => m["id"] = id));

        Assert.StartsWith($"Field 'id' ('{id}') must be kebab-case", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_longer_than_64_characters_is_refused()
    {
        var error = SingleError(ValidateWith(m => m["id"] = new string('a', 65)));

        Assert.StartsWith("Field 'id'", error, StringComparison.Ordinal);
        Assert.Contains("at most 64", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dialplan")]
    [InlineData("modules")]
    [InlineData("auth")]
    [InlineData("api-keys")]
    public void An_id_that_is_a_path_of_the_hosts_own_API_is_refused(string id)
    {
        var error = SingleError(ValidateWith(m => m["id"] = id));

        Assert.StartsWith($"Field 'id' ('{id}') is a path of the host's own API (/pbxcore/api/v3/{id})", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_name_is_refused_naming_the_name_field()
    {
        var error = SingleError(ValidateWith(m => m.Remove("name")));

        Assert.StartsWith("Field 'name' is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_version_is_refused_naming_the_version_field()
    {
        var error = SingleError(ValidateWith(m => m.Remove("version")));

        Assert.StartsWith("Field 'version' is required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData("01.0.0")]
    [InlineData("latest")]
    public void A_version_that_is_not_semver_is_refused_naming_the_version_field(string version)
    {
        var error = SingleError(ValidateWith(m => m["version"] = version));

        Assert.StartsWith($"Field 'version' ('{version}') is not a valid SemVer version", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prerelease_version_is_valid_semver()
    {
        var result = ValidateWith(m => m["version"] = "2.0.0-beta.1");

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
    }

    [Fact]
    public void A_missing_sdk_range_is_refused_naming_the_sdk_field()
    {
        var error = SingleError(ValidateWith(m => m.Remove("sdk")));

        Assert.StartsWith("Field 'sdk' is required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("^^1")]
    [InlineData("not a range")]
    [InlineData(">=1.0.0 <")]
    public void An_sdk_range_that_does_not_parse_is_refused_naming_the_sdk_field(string range)
    {
        var error = SingleError(ValidateWith(m => m["sdk"] = range));

        Assert.StartsWith($"Field 'sdk' ('{range}') is not a valid SemVer range", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("^2.0.0")]
    [InlineData("<1.0.0")]
    [InlineData("~0.9.0")]
    public void An_sdk_range_the_hosts_sdk_does_not_satisfy_is_refused_naming_the_host_version(string range)
    {
        Assert.Equal("1.0.0", SdkInfo.Version);

        var error = SingleError(ValidateWith(m => m["sdk"] = range));

        Assert.StartsWith($"Field 'sdk' ('{range}') is not satisfied by this host's SDK 1.0.0", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("^1.0.0")]
    [InlineData(">=1.0.0 <2.0.0")]
    [InlineData("1.x")]
    public void An_sdk_range_that_includes_the_hosts_sdk_is_accepted(string range)
    {
        var result = ValidateWith(m => m["sdk"] = range);

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
    }

    [Fact]
    public void A_missing_assembly_field_is_refused_naming_the_assembly_field()
    {
        var error = SingleError(ValidateWith(m => m.Remove("assembly")));

        Assert.StartsWith("Field 'assembly' is required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x.dll")]
    [InlineData("sub/x.dll")]
    [InlineData("/etc/x.dll")]
    [InlineData("..\\x.dll")]
    [InlineData("x.exe")]
    [InlineData("..")]
    public void An_assembly_outside_the_module_folder_or_not_a_dll_is_refused(string assembly)
    {
        var error = SingleError(ValidateWith(m => m["assembly"] = assembly));

        Assert.StartsWith($"Field 'assembly' ('{assembly}') must be a .dll file name inside the module folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_that_is_not_in_the_folder_is_refused_naming_the_assembly_field()
    {
        var error = SingleError(ValidateWith(m => m["assembly"] = "Missing.dll"));

        Assert.StartsWith("Field 'assembly': 'Missing.dll' is not in", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_support_email_is_refused_naming_the_field()
    {
        var error = SingleError(ValidateWith(m => m["supportEmail"] = "nobody"));

        Assert.StartsWith("Field 'supportEmail'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependency_that_is_not_a_module_id_is_refused_naming_dependsOn()
    {
        var error = SingleError(ValidateWith(m => m["dependsOn"] = new JsonObject { ["Other_Module"] = "^1.0.0" }));

        Assert.StartsWith("Field 'dependsOn': 'Other_Module' is not a module id", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependency_range_that_does_not_parse_is_refused_naming_the_dependency()
    {
        var error = SingleError(ValidateWith(m => m["dependsOn"] = new JsonObject { ["module-other"] = "whatever" }));

        Assert.StartsWith("Field 'dependsOn.module-other' ('whatever') is not a valid SemVer range", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_that_depends_on_itself_is_refused()
    {
        var error = SingleError(ValidateWith(m => m["dependsOn"] = new JsonObject { ["module-good"] = "^1.0.0" }));

        Assert.StartsWith("Field 'dependsOn.module-good': a module cannot depend on itself", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_manifest_is_reported_each_with_its_own_message()
    {
        var result = ValidateWith(m =>
        {
            m.Remove("name");
            m["id"] = "Bad Id";
            m["version"] = "one";
            m["sdk"] = "^9.0.0";
        });

        Assert.False(result.IsValid);
        Assert.Collection(
            result.Errors,
            e => Assert.StartsWith("Field 'id'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Field 'name'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Field 'version'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Field 'sdk'", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("version", "1")]
    [InlineData("id", "true")]
    [InlineData("name", "{}")]
    [InlineData("sdk", "[\"^1.0.0\"]")]
    public void A_field_of_the_wrong_json_type_is_refused_naming_the_field(string field, string jsonValue)
    {
        var manifest = ValidManifest();
        manifest[field] = JsonNode.Parse(jsonValue);

        var error = SingleError(ManifestValidator.Validate(manifest.ToJsonString(), _folder));

        Assert.StartsWith($"Field '{field}' must be a JSON string", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependsOn_that_is_not_an_object_is_refused_naming_the_field()
    {
        var error = SingleError(ValidateWith(m => m["dependsOn"] = new JsonArray("module-other")));

        Assert.StartsWith("Field 'dependsOn' must be a JSON object", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependency_range_of_the_wrong_json_type_is_refused_naming_the_dependency()
    {
        var error = SingleError(ValidateWith(m => m["dependsOn"] = new JsonObject { ["module-other"] = 1 }));

        Assert.StartsWith("Field 'dependsOn.module-other' must be a JSON string", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_that_is_not_a_json_object_is_refused_saying_so()
    {
        var error = SingleError(ManifestValidator.Validate("[1, 2]", _folder));

        Assert.StartsWith("module.json must be a JSON object", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_comma_is_a_syntax_error_not_a_type_error()
    {
        var error = SingleError(ManifestValidator.Validate("{ \"id\": \"module-good\" \"name\": \"ModuleGood\" }", _folder));

        Assert.StartsWith("module.json is not valid JSON (line 1", error, StringComparison.Ordinal);
    }
}
