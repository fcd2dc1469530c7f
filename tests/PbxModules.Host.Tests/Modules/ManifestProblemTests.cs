using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>Manifest problems carry their field and kind; the message is made from them.</summary>
public sealed class ManifestProblemTests
{
    [Fact]
    public void The_message_names_the_field_then_gives_the_detail()
    {
        var problem = new ManifestProblem("id", ManifestProblemCode.Required, " is required: a unique kebab-case identifier.");

        Assert.Equal("Field 'id' is required: a unique kebab-case identifier.", problem.Message);
        Assert.Equal(problem.Message, problem.ToString());
    }

    [Fact]
    public void A_problem_of_the_whole_file_is_its_detail_alone()
        => Assert.Equal("module.json is empty.", new ManifestProblem(null, ManifestProblemCode.NotJson, "module.json is empty.").Message);

    [Theory]
    [InlineData("""{"name":"N","version":"1.0.0","sdk":"^1.0.0","assembly":"x.dll"}""", "id", ManifestProblemCode.Required)]
    [InlineData("""{"id":"Bad_Id","name":"N","version":"1.0.0","sdk":"^1.0.0","assembly":"x.dll"}""", "id", ManifestProblemCode.Invalid)]
    [InlineData("""{"id":"a","name":"N","version":"1.0.0","sdk":"^99.0.0","assembly":"x.dll"}""", "sdk", ManifestProblemCode.SdkUnsatisfied)]
    [InlineData("""{"id":"a","name":"N","version":"1.0.0","sdk":"^1.0.0","assembly":"missing.dll"}""", "assembly", ManifestProblemCode.AssemblyNotFound)]
    [InlineData("""{"id":"a","name":"N","version":"1.0.0","sdk":"^1.0.0","assembly":"x.dll","dependsOn":{"a":"^1.0.0"}}""", "dependsOn.a", ManifestProblemCode.SelfDependency)]
    [InlineData("""{"id":"a","name":"N","version":1,"sdk":"^1.0.0","assembly":"x.dll"}""", "version", ManifestProblemCode.WrongType)]
    public void The_validator_reports_each_problem_with_its_field_and_code(string json, string field, ManifestProblemCode code)
    {
        var folder = Directory.CreateTempSubdirectory("pbxmodules-problem-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "x.dll"), []);

            var problem = Assert.Single(ManifestValidator.Validate(json, folder).Problems);

            Assert.Equal(field, problem.Field);
            Assert.Equal(code, problem.Code);
            Assert.StartsWith($"Field '{field}'", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Text_that_is_not_json_is_a_problem_of_the_whole_file()
    {
        var problem = Assert.Single(ManifestValidator.Validate("{ not json", null).Problems);

        Assert.Null(problem.Field);
        Assert.Equal(ManifestProblemCode.NotJson, problem.Code);
    }

    [Fact]
    public void Dependency_problems_are_in_the_dependsOn_field_with_their_own_codes()
    {
        var resolution = DependencyResolver.Resolve(
        [
            new DependencyNode("a", Semver.SemVersion.Parse("1.0.0", Semver.SemVersionStyles.Strict), new Dictionary<string, string> { ["ghost"] = "^1.0.0" }),
            new DependencyNode("b", Semver.SemVersion.Parse("1.0.0", Semver.SemVersionStyles.Strict), new Dictionary<string, string> { ["a"] = "^1.0.0" }),
        ]);

        Assert.Equal(("dependsOn", ManifestProblemCode.DependencyNotInstalled), (resolution.Errors["a"].Field, resolution.Errors["a"].Code));
        Assert.Equal(("dependsOn", ManifestProblemCode.DependencyUnavailable), (resolution.Errors["b"].Field, resolution.Errors["b"].Code));
    }
}
