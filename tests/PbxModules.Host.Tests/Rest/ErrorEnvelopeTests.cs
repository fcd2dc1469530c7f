using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace PbxModules.Host.Tests.Rest;

/// <summary>Every error under /pbxcore/api/v3 answers in the API's envelope, whoever produced it.</summary>
public sealed class ErrorEnvelopeTests : AdminRestHostTests
{
    private const string Numbers = "/pbxcore/api/v3/test-rest/numbers";
    private const string Login = "/pbxcore/api/v3/auth:login";
    [Theory]
    [InlineData(Numbers)]
    [InlineData(Login)]
    public async Task A_text_plain_post_is_a_415_in_the_envelope(string path)
    {
        using var response = await Admin.PostAsync(path, new StringContent("number=1", Encoding.UTF8, "text/plain"));
        await AssertEnvelopeAsync(response, HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Theory]
    [InlineData(Numbers)]
    [InlineData(Login)]
    public async Task Malformed_json_is_a_400_in_the_envelope(string path)
    {
        using var response = await Admin.PostAsync(path, new StringContent("{\"number\": ", Encoding.UTF8, "application/json"));
        await AssertEnvelopeAsync(response, HttpStatusCode.BadRequest, "");
    }

    [Fact]
    public async Task A_method_a_route_does_not_answer_is_a_405_in_the_envelope()
    {
        using var response = await Admin.GetAsync(Login);
        await AssertEnvelopeAsync(response, HttpStatusCode.MethodNotAllowed, "does not answer GET");
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_in_the_envelope()
    {
        using var response = await Admin.PostAsJsonAsync("/pbxcore/api/v3/nothing-here", new { });
        await AssertEnvelopeAsync(response, HttpStatusCode.NotFound, "No endpoint answers");
    }

    private static async Task AssertEnvelopeAsync(HttpResponseMessage response, HttpStatusCode expected, string mentions)
    {
        var body = await RestHost.BodyAsync(response);
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode} {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal((int)expected, body.GetProperty("httpCode").GetInt32());
        var message = body.GetProperty("messages").GetProperty("error")[0].GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Contains(mentions, message, StringComparison.Ordinal);
    }
}
