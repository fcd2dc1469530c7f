using ModuleBlackList.Matching;
using ModuleBlackList.Models;
using ModuleBlackList.Rules;

namespace ModuleBlackList.Tests.Rules;

/// <summary>How input becomes a stored rule: its canonical form, and the messages by field when it cannot.</summary>
public sealed class RuleBuilderTests
{
    private static readonly PhoneNormalizer Us = new("US", ["00", "011"]);
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_number_and_its_scope_are_stored_canonical_and_the_number_as_typed()
    {
        var (rule, errors) = RuleBuilder.Build(new RuleInput { Number = " +1 (646) 555-0101 ", Kind = RuleKind.Allow, Description = " why ", Scope = ["+1 800 555 0100", "", "18005550100"] }, "rest", Us, Now);

        Assert.Null(errors);
        Assert.Equal(("+1 (646) 555-0101", "16465550101", false, RuleKind.Allow, "why", "18005550100", "rest", Now),
            (rule!.Number, rule.Normalized, rule.IsPrefix, rule.Kind, rule.Description, rule.Scope, rule.Source, rule.CreatedAt));
    }

    [Fact]
    public void A_trailing_star_makes_a_prefix()
    {
        var (rule, _) = RuleBuilder.Build(new RuleInput { Number = "+7495*" }, "import", Us, Now);

        Assert.True(rule!.IsPrefix);
        Assert.Equal("7495", rule.Normalized);
    }

    [Theory]
    [InlineData("12*34", "number")]
    [InlineData("call me", "number")]
    [InlineData("", "number")]
    public void A_number_that_is_none_is_refused_naming_the_field(string number, string field)
    {
        var (rule, errors) = RuleBuilder.Build(new RuleInput { Number = number }, "rest", Us, Now);

        Assert.Null(rule);
        Assert.Contains(field, errors!.Keys);
    }

    [Fact]
    public void An_expiry_in_the_past_and_a_scope_that_is_no_number_are_refused_together()
    {
        var (rule, errors) = RuleBuilder.Build(new RuleInput { Number = "+16465550101", ExpiresAt = Now.AddSeconds(-1), Scope = ["reception"] }, "rest", Us, Now);

        Assert.Null(rule);
        Assert.Equal(["expiresAt", "scope"], errors!.Keys.Order());
    }

    [Fact]
    public void Copying_fields_keeps_the_stored_rule_s_id_creation_time_and_source()
    {
        var stored = new BlackListNumbers { Id = 7, Number = "+16465550101", Normalized = "+16465550101", CreatedAt = Now.AddDays(-1), Source = "import" };
        var (built, _) = RuleBuilder.Build(new RuleInput { Number = "+1646555*", Enabled = false }, "rest", Us, Now);

        RuleBuilder.CopyFields(built!, stored);

        Assert.Equal((7, "+1646555*", "1646555", true, false, Now.AddDays(-1), "import"),
            (stored.Id, stored.Number, stored.Normalized, stored.IsPrefix, stored.Enabled, stored.CreatedAt, stored.Source));
    }
}
