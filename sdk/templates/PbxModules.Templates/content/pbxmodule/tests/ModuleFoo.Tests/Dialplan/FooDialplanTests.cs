namespace ModuleFoo.Tests.Dialplan;

/// <summary>The dialplan the host composed from the module's hook (extensions_modules.conf).</summary>
public sealed class FooDialplanTests
{
    [Fact]
    public async Task Every_incoming_call_runs_the_greet_handler_before_it_rings()
    {
        await using var host = await FooHost.StartAsync();

        var dialplan = await host.ReadDialplanAsync();

        var hook = dialplan[dialplan.IndexOf("[modules-incoming-before-dial]", StringComparison.Ordinal)..];
        Assert.Contains("Set(FOO_GREETING=)", hook);
        Assert.Contains($":{host.AgiPort}/module-foo/greet,${{ARG1}})", hook);
    }
}
