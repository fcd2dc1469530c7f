using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

public sealed class AmiServiceRegistrationTests
{
    [Fact]
    public async Task AddAmiClient_binds_the_Ami_section_registers_one_client_and_starts_it_with_the_host()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ami:Transport"] = "Tcp",
            ["Ami:Host"] = "127.0.0.1",
            ["Ami:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ami:Username"] = "admin",
            ["Ami:Secret"] = "admin-secret",
            ["Ami:KeepAliveInterval"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddAmiClient(configuration.GetSection(AmiClientOptions.SectionName));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<AmiClient>();
        Assert.Same(client, provider.GetRequiredService<IAmiClient>());
        Assert.Equal(TimeSpan.FromSeconds(5), client.Options.KeepAliveInterval);
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted) await service.StartAsync(default);
        await client.WaitUntilConnectedAsync().WaitAsync(AmiTestSupport.Safety);
        await client.PingAsync();
        foreach (var service in hosted) await service.StopAsync(default);
        Assert.Equal(AmiConnectionState.Stopped, client.State);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_key_named()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAmiClient(o =>
        {
            o.Transport = AmiTransport.Http;
            o.HttpEventWaitTimeout = TimeSpan.FromSeconds(90);
            o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(1);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AmiClientOptions>>().Value);
        Assert.Contains("Ami:HttpEventWaitTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ami:ReconnectMaxDelay", error.Message, StringComparison.Ordinal);
    }
}
