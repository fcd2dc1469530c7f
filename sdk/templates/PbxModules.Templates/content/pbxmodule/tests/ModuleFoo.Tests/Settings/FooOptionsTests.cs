namespace ModuleFoo.Tests.Settings;

/// <summary>The module's settings, bound from <c>Modules:module-foo</c> and validated when the module starts.</summary>
public sealed class FooOptionsTests
{
    [Fact]
    public async Task A_default_sound_that_is_not_a_sound_name_stops_the_module_with_the_field_named()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => FooHost.StartAsync(configure: o => o.Settings["Modules:module-foo:DefaultSound"] = "welcome;Hangup"));

        Assert.Contains("DefaultSound", failure.ToString());
    }
}
