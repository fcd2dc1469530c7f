using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>How the host mounts the server: AddFastAgi + ListenFastAgi, configured from the Agi section.</summary>
public class HostingTests
{
    private sealed class EchoHandler : IAgiSessionHandler
    {
        public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
            => await channel.SetVariableAsync("ROUTE", channel.Request.Path, cancellationToken);
    }

    [Fact]
    public async Task The_host_mounts_the_server_from_configuration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agi:Address"] = "127.0.0.1",
            ["Agi:Port"] = "0",
            ["Agi:IdleTimeout"] = "00:02:00",
            ["Agi:MaxConcurrentSessions"] = "7",
        });
        builder.Services.AddSingleton<IAgiSessionHandler, EchoHandler>();
        builder.Services.AddFastAgi(builder.Configuration.GetSection(FastAgiOptions.SectionName));
        builder.WebHost.ConfigureKestrel(k => k.ListenFastAgi());
        await using var app = builder.Build();
        await app.StartAsync();
        try
        {
            var options = app.Services.GetRequiredService<IOptions<FastAgiOptions>>().Value;
            Assert.Equal(TimeSpan.FromMinutes(2), options.IdleTimeout);
            Assert.Equal(7, options.MaxConcurrentSessions);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            var endpoint = new Uri(address);
            Assert.Equal(IPAddress.Loopback.ToString(), endpoint.Host);

            await using var call = await SimulatedAgiCall.ConnectAsync(endpoint.Port, new SimulatedAgiCallOptions { Script = "module-black-list/check?x=1" });
            await call.Completion.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("module-black-list/check", call.Variables["ROUTE"]);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_at_start_naming_the_key()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IAgiSessionHandler, EchoHandler>();
        builder.Services.AddFastAgi(o =>
        {
            o.Port = 0;
            o.MaxLineLength = 10;
            o.Address = "not-an-address";
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFastAgi()));
        await using var app = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Agi:MaxLineLength", ex.Message);
        Assert.Contains("Agi:Address", ex.Message);
    }

    [Fact]
    public void Defaults_match_the_design()
    {
        var o = new FastAgiOptions();
        Assert.Equal("127.0.0.1", o.Address);
        Assert.Equal(4573, o.Port);
    }
}
