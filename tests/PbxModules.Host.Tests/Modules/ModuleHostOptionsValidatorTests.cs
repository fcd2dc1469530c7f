using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>The <c>ModuleHost</c> section is checked at start-up, naming the key that is wrong.</summary>
public sealed class ModuleHostOptionsValidatorTests
{
    private readonly ModuleHostOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid_and_the_drain_time_out_is_ten_seconds()
    {
        var options = new ModuleHostOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DrainTimeout);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public void A_drain_time_out_that_is_not_positive_is_refused_naming_the_key(string value)
    {
        var result = _validator.Validate(null, new ModuleHostOptions { DrainTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("ModuleHost:DrainTimeout must be positive", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lifecycle_time_out_that_is_not_positive_is_refused_naming_the_key()
    {
        var result = _validator.Validate(null, new ModuleHostOptions { LifecycleTimeout = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Contains("ModuleHost:LifecycleTimeout must be positive", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("install:swapped", true)]
    [InlineData("upgrade:data-backed-up", true)]
    [InlineData("upgrade:committed", true)]
    [InlineData("upgrade:DataBackedUp", false)]
    [InlineData("uninstall:begun", false)]
    [InlineData("install", false)]
    public void A_fault_injection_step_must_name_an_operation_and_a_step(string value, bool valid)
    {
        var result = _validator.Validate(null, new ModuleHostOptions { FaultInjection = { KillAtStep = value } });

        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.Contains($"ModuleHost:FaultInjection:KillAtStep must be '<install|upgrade>:<step>' with a step of begun, staged, old-stopped, data-backed-up, swapped, migrated, hooks-run, enabled, committed (it is '{value}').", result.FailureMessage, StringComparison.Ordinal);
    }
}
