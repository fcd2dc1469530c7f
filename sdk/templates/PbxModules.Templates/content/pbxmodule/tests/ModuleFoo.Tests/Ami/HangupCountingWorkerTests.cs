namespace ModuleFoo.Tests.Ami;

/// <summary>The AMI worker, fed <c>Hangup</c> events by the simulated Asterisk; its count is read back over REST.</summary>
public sealed class HangupCountingWorkerTests
{
    [Fact]
    public async Task A_call_that_ends_counts_once_for_its_caller_however_many_channels_it_had()
    {
        await using var host = await FooHost.StartAsync();
        var id = await host.AddGreetingAsync("+15550300", "custom/welcome");

        // The caller's channel (Uniqueid = Linkedid) and the leg it dialled both hang up.
        await host.RaiseAmiEventAsync("Hangup", ("Channel", "PJSIP/trunk-00000001"), ("Uniqueid", "1767603600.1"), ("Linkedid", "1767603600.1"), ("CallerIDNum", "+15550300"), ("Cause", "16"));
        await host.RaiseAmiEventAsync("Hangup", ("Channel", "PJSIP/101-00000002"), ("Uniqueid", "1767603600.2"), ("Linkedid", "1767603600.1"), ("CallerIDNum", "+15550300"), ("Cause", "16"));
        // Another caller's call.
        await host.RaiseAmiEventAsync("Hangup", ("Channel", "PJSIP/trunk-00000003"), ("Uniqueid", "1767603601.3"), ("Linkedid", "1767603601.3"), ("CallerIDNum", "+15550399"), ("Cause", "16"));

        using var response = await host.Rest.GetAsync($"{FooHost.Greetings}/{id}");
        Assert.Equal(1, (await FooHost.ReadAsync(response)).GetProperty("data").GetProperty("hangups").GetInt64());
    }
}
