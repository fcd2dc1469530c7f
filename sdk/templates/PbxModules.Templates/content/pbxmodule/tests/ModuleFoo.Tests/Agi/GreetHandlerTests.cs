using Microsoft.Extensions.Time.Testing;

namespace ModuleFoo.Tests.Agi;

/// <summary>The <c>greet</c> AGI handler, reached by a simulated call over FastAGI as Asterisk reaches it.</summary>
public sealed class GreetHandlerTests
{
    private const string Route = "module-foo/greet";

    [Fact]
    public async Task A_caller_without_a_greeting_hears_the_configured_default_sound()
    {
        await using var host = await FooHost.StartAsync(configure: o => o.Settings["Modules:module-foo:DefaultSound"] = "custom/welcome");

        await using var call = await host.PlaceCallAsync(Route, o => o.CallerId = "+15550100");
        await call.Completion;

        Assert.Equal("custom/welcome", call.Variables["FOO_GREETING"]);
        Assert.True(call.IsAnswered);
        Assert.Equal("custom/welcome", Assert.Single(call.Commands, c => c.Name == "STREAM FILE").Argument(0));
    }

    [Fact]
    public async Task A_caller_with_a_greeting_hears_their_own_and_the_variable_is_set_before_it_plays()
    {
        await using var host = await FooHost.StartAsync();
        await host.AddGreetingAsync("+15550101", "custom/vip");

        await using var call = await host.PlaceCallAsync(Route, o => o.CallerId = "+15550101");
        await call.Completion;

        // The handler's commands, in order (the host adds SET VARIABLE PBXMODULES_STATUS OK once it returns).
        Assert.Equal(["SET VARIABLE", "ANSWER", "STREAM FILE"], call.Commands.Where(c => c.Argument(0) != "PBXMODULES_STATUS").Select(c => c.Name));
        Assert.Equal("custom/vip", call.Variables["FOO_GREETING"]);
        Assert.Equal("custom/vip", Assert.Single(call.Commands, c => c.Name == "STREAM FILE").Argument(0));
    }

    [Fact]
    public async Task An_expired_greeting_is_no_longer_played()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var host = await FooHost.StartAsync(time);
        await host.AddGreetingAsync("+15550102", "custom/holiday", expiresAt: time.GetUtcNow().AddHours(1));
        time.Advance(TimeSpan.FromHours(2));

        await using var call = await host.PlaceCallAsync(Route, o => o.CallerId = "+15550102");
        await call.Completion;

        Assert.Equal("hello-world", call.Variables["FOO_GREETING"]);
    }

    [Fact]
    public async Task A_sound_Asterisk_does_not_have_is_logged_and_the_call_goes_on()
    {
        await using var host = await FooHost.StartAsync();

        await using var call = await host.PlaceCallAsync(Route, o =>
        {
            o.CallerId = "+15550103";
            o.Sounds = new HashSet<string>();
        });
        await call.Completion;

        await host.WaitForLogAsync("Greeting sound hello-world could not be played");
        Assert.False(call.IsHungUp);
        Assert.Equal("hello-world", call.Variables["FOO_GREETING"]);
    }
}
