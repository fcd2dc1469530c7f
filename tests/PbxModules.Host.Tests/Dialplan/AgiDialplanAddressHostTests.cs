using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PbxModules.Host.Dialplan;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Dialplan;

/// <summary>The daemon's own configuration binding: what the dialplan service hands every module's <c>DialplanBuilder</c>.</summary>
public sealed class AgiDialplanAddressHostTests
{
    [Fact]
    public async Task A_daemon_listening_on_every_interface_writes_loopback_into_its_hooks()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Agi:Address"] = "0.0.0.0" });

        Assert.Equal($"agi://127.0.0.1:{host.AgiPort}", host.Services.GetRequiredService<DialplanService>().AgiBaseUrl);
    }

    [Fact]
    public async Task Agi_DialplanAddress_is_what_the_hooks_dial()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Agi:DialplanAddress"] = "fd00::5" });

        Assert.Equal($"agi://[fd00::5]:{host.AgiPort}", host.Services.GetRequiredService<DialplanService>().AgiBaseUrl);
    }

    [Fact]
    public void A_wildcard_Agi_DialplanAddress_fails_validation_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Agi:DialplanAddress"] = "*" }).Build();
        using var services = new ServiceCollection().AddPbxDialplan(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AgiDialplanOptions>>().Value);

        Assert.Contains("Agi:DialplanAddress '*'", ex.Message, StringComparison.Ordinal);
    }
}
