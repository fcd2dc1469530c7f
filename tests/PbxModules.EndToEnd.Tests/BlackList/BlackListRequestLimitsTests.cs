using System.Globalization;
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
        var csv = new StringBuilder("number,description\n");
        var description = new string('d', 100);
        var rows = 0;
        while (csv.Length < 1536 * 1024)
        {
            csv.Append("+1 808 4").Append(rows.ToString("000000", CultureInfo.InvariantCulture)).Append(",limits ").Append(description).Append('\n');
            rows++;
        }
        var (status, body) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        Assert.Equal(rows, body.GetProperty("data").GetProperty("imported").GetInt32());
    }
}
