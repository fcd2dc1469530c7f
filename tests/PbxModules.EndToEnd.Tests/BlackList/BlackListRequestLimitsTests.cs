using System.Net;
using System.Text;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// ModuleBlackList through the real daemon: its lists echo the limit asked for, and its import
/// declares its own body limit (10 MB and a margin), above the host's 1 MB JSON default.
/// </summary>
public sealed class BlackListRequestLimitsTests(BlackListRestDaemon fixture) : IClassFixture<BlackListRestDaemon>
{
    private const string Numbers = "/pbxcore/api/v3/module-black-list/numbers";
    private HttpClient Http => fixture.Daemon.Http;

    [Theory]
    [InlineData(Numbers + "?search=no-such-rule-anywhere&limit=7", 7)]
    [InlineData("/pbxcore/api/v3/module-black-list/calls?search=no-such-call&limit=3", 3)]
    [InlineData("/pbxcore/api/v3/module-black-list/calls?search=no-such-call", 20)]
    public async Task An_empty_list_echoes_the_limit_asked_for(string path, int limit)
    {
        var (status, body) = await BlackListRest.GetAsync(Http, path);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(0, body.GetProperty("data").GetArrayLength());
        Assert.Equal(limit, body.GetProperty("pagination").GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task The_import_takes_a_body_larger_than_the_1_MB_default()
    {
        // One row whose description is 1.5 MB: the import reads the body and refuses the row by its own
        // rules (400/422), where the host's 1 MB default would have refused the request with 413.
        var csv = "number,description\n+1 808 4000001," + new string('d', 1536 * 1024) + "\n";
        var (status, body) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(status != HttpStatusCode.RequestEntityTooLarge && body.GetProperty("httpCode").GetInt32() != 413, $"{(int)status} {body}");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{(int)status} {body}");
        Assert.DoesNotContain("Rest:MaxJsonBodyBytes", body.GetProperty("messages").GetProperty("error").ToString(), StringComparison.Ordinal);
    }
}
