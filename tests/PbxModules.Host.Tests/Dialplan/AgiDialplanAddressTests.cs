using PbxModules.Host.Dialplan;
using PbxModules.Sdk.Dialplan;

namespace PbxModules.Host.Tests.Dialplan;

public sealed class AgiDialplanAddressTests
{
    [Theory]
    [InlineData("*")]
    [InlineData("any")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void A_wildcard_listen_address_is_dialled_on_loopback(string listen)
        => Assert.Equal("agi://127.0.0.1:4573", AgiDialplanAddress.BaseUrl(listen, 4573, dialplanAddress: null));

    [Theory]
    [InlineData("127.0.0.1", "agi://127.0.0.1:4573")]
    [InlineData("192.0.2.10", "agi://192.0.2.10:4573")]
    [InlineData("localhost", "agi://localhost:4573")]
    [InlineData("::1", "agi://[::1]:4573")]
    public void A_specific_listen_address_is_dialled_as_it_is_an_IPv6_literal_in_brackets(string listen, string expected)
        => Assert.Equal(expected, AgiDialplanAddress.BaseUrl(listen, 4573, dialplanAddress: null));

    [Theory]
    [InlineData("10.0.0.5", "agi://10.0.0.5:4574")]
    [InlineData("pbx-modules.example", "agi://pbx-modules.example:4574")]
    [InlineData("fd00::5", "agi://[fd00::5]:4574")]
    [InlineData("[fd00::5]", "agi://[fd00::5]:4574")]
    public void The_dialplan_address_wins_over_the_listen_address(string dialplanAddress, string expected)
        => Assert.Equal(expected, AgiDialplanAddress.BaseUrl("*", 4574, dialplanAddress));

    [Theory]
    [InlineData("*")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("not a host")]
    [InlineData("agi://10.0.0.5")]
    public void A_dialplan_address_Asterisk_cannot_dial_is_a_problem_naming_the_key(string dialplanAddress)
        => Assert.Contains("Agi:DialplanAddress", AgiDialplanAddress.Problem(dialplanAddress));

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("fd00::5")]
    [InlineData("[fd00::5]")]
    [InlineData("pbx-modules.example")]
    public void A_dialable_address_is_no_problem(string dialplanAddress)
        => Assert.Null(AgiDialplanAddress.Problem(dialplanAddress));

    [Fact]
    public void Hooks_rendered_for_a_wildcard_listener_call_loopback_not_the_wildcard()
    {
        var builder = new DialplanBuilder("module-black-list", AgiDialplanAddress.BaseUrl("*", 4573, dialplanAddress: null));
        builder.IncomingBeforeDial(IncomingStage.PreSystem).Add("AGI", builder.AgiUrl("check"));

        var text = DialplanRenderer.Render([new("module-black-list", 100, builder)]).Text;

        Assert.Contains(" same => n,AGI(agi://127.0.0.1:4573/module-black-list/check)\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("agi://*", text, StringComparison.Ordinal);
    }
}
