using PbxModules.Host.Modules;
using Semver;

namespace PbxModules.Host.Tests.Modules;

public sealed class DependencyResolverTests
{
    private static DependencyNode Node(string id, string version = "1.0.0", params (string Id, string Range)[] dependsOn)
        => new(id, SemVersion.Parse(version, SemVersionStyles.Strict), dependsOn.ToDictionary(d => d.Id, d => d.Range));

    [Fact]
    public void Modules_without_dependencies_are_ordered_by_id()
    {
        var resolution = DependencyResolver.Resolve([Node("c"), Node("a"), Node("b")]);

        Assert.Empty(resolution.Errors);
        Assert.Equal(["a", "b", "c"], resolution.Order);
    }

    [Fact]
    public void Every_module_comes_after_what_it_depends_on()
    {
        var resolution = DependencyResolver.Resolve(
        [
            Node("a", dependsOn: ("b", "^1.0.0")),
            Node("b", dependsOn: ("c", "^1.0.0")),
            Node("c"),
            Node("d", dependsOn: ("c", "^1.0.0")),
        ]);

        Assert.Empty(resolution.Errors);
        Assert.Equal(["c", "b", "a", "d"], resolution.Order);
    }

    [Fact]
    public void A_dependency_on_a_module_that_is_not_installed_is_refused_naming_it()
    {
        var resolution = DependencyResolver.Resolve([Node("a", dependsOn: ("ghost", "^1.0.0")), Node("b")]);

        Assert.Equal("Field 'dependsOn': module 'ghost' is not installed. Install it first.", resolution.Errors["a"].Message);
        Assert.Equal(["b"], resolution.Order);
    }

    [Fact]
    public void A_dependency_whose_installed_version_is_out_of_range_is_refused_naming_both_versions()
    {
        var resolution = DependencyResolver.Resolve([Node("a", dependsOn: ("b", "^2.0.0")), Node("b", "1.4.0")]);

        var error = resolution.Errors["a"].Message;
        Assert.StartsWith("Field 'dependsOn.b' requires '^2.0.0' but version 1.4.0 is installed", error, StringComparison.Ordinal);
        Assert.Equal(["b"], resolution.Order);
    }

    [Fact]
    public void A_dependency_in_range_is_accepted()
    {
        var resolution = DependencyResolver.Resolve([Node("a", dependsOn: ("b", ">=1.2.0 <2.0.0")), Node("b", "1.4.0")]);

        Assert.Empty(resolution.Errors);
        Assert.Equal(["b", "a"], resolution.Order);
    }

    [Fact]
    public void Two_modules_that_depend_on_each_other_are_both_refused_as_a_cycle()
    {
        var resolution = DependencyResolver.Resolve([Node("a", dependsOn: ("b", "*")), Node("b", dependsOn: ("a", "*")), Node("c")]);

        Assert.Equal(["c"], resolution.Order);
        foreach (var id in new[] { "a", "b" })
        {
            Assert.StartsWith("Field 'dependsOn': dependency cycle", resolution.Errors[id].Message, StringComparison.Ordinal);
            Assert.Contains("a → b → a", resolution.Errors[id].Message, StringComparison.Ordinal);
        }
        Assert.False(resolution.Errors.ContainsKey("c"));
    }

    [Fact]
    public void A_three_module_cycle_is_refused_for_every_module_in_it()
    {
        var resolution = DependencyResolver.Resolve(
        [
            Node("a", dependsOn: ("b", "*")),
            Node("b", dependsOn: ("c", "*")),
            Node("c", dependsOn: ("a", "*")),
        ]);

        Assert.Empty(resolution.Order);
        foreach (var id in new[] { "a", "b", "c" })
            Assert.Contains("dependency cycle a → b → c → a", resolution.Errors[id].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_that_depends_on_a_cycle_fails_because_its_dependency_cannot_load()
    {
        var resolution = DependencyResolver.Resolve(
        [
            Node("a", dependsOn: ("b", "*")),
            Node("b", dependsOn: ("a", "*")),
            Node("x", dependsOn: ("a", "*")),
        ]);

        Assert.StartsWith("Field 'dependsOn': module 'a' cannot load", resolution.Errors["x"].Message, StringComparison.Ordinal);
        Assert.Empty(resolution.Order);
    }

    [Fact]
    public void The_failure_of_a_dependency_propagates_down_a_chain_of_dependents()
    {
        var resolution = DependencyResolver.Resolve(
        [
            Node("top", dependsOn: ("middle", "*")),
            Node("middle", dependsOn: ("bottom", "^2.0.0")),
            Node("bottom", "1.0.0"),
        ]);

        Assert.Equal(["bottom"], resolution.Order);
        Assert.StartsWith("Field 'dependsOn.bottom' requires '^2.0.0'", resolution.Errors["middle"].Message, StringComparison.Ordinal);
        Assert.StartsWith("Field 'dependsOn': module 'middle' cannot load", resolution.Errors["top"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependency_on_an_installed_module_that_cannot_load_says_so_with_its_reason()
    {
        var unavailable = new Dictionary<string, string> { ["broken"] = "Field 'sdk' ('^2.0.0') is not satisfied" };

        var resolution = DependencyResolver.Resolve([Node("a", dependsOn: ("broken", "*"))], unavailable);

        Assert.Equal("Field 'dependsOn': module 'broken' cannot load (Field 'sdk' ('^2.0.0') is not satisfied)", resolution.Errors["a"].Message);
    }
}
