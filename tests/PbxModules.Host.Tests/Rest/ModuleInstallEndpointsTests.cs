using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Packages;
using PbxModules.Host.Tests.Packages.Installing;

namespace PbxModules.Host.Tests.Rest;

/// <summary>
/// <c>POST /modules:install</c> and <c>POST /modules/{id}:upgrade</c> over the whole daemon on real
/// Kestrel, with test feeds, verifier and transitions in place of the other folders' (their own tests
/// cover them): the JSON and multipart shapes, the error envelope with data.code, the body limits, permissions.
/// </summary>
public sealed class ModuleInstallEndpointsTests : IAsyncLifetime
{
    private const string Install = "/pbxcore/api/v3/modules:install";
    private const int MaxPackageBytes = 64 * 1024;
    private readonly TestPackageVerifier _verifier = new();
    private readonly TestInstallTransitions _transitions = new();
    private TestFeeds _feeds = null!;
    private RestHost _host = null!;
    private HttpClient _admin = null!;

    private string Incoming => Path.Combine(_host.DataDirectory, "packages", "incoming");

    public async Task InitializeAsync()
    {
        var downloads = Path.Combine(Path.GetTempPath(), "pbxmodules-rest-tests", Guid.NewGuid().ToString("N"), "downloads");
        _feeds = new TestFeeds(downloads);
        _host = await RestHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Modules:MaxPackageBytes"] = MaxPackageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Rest:MaxJsonBodyBytes"] = "2048" },
            configureServices: services =>
            {
                services.AddSingleton<IModulePackageVerifier>(_verifier);
                services.AddSingleton<IModuleFeeds>(_feeds);
                services.AddSingleton<IModuleInstallTransitions>(_transitions);
            });
        _admin = await _host.AdminAsync();
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        if (Directory.Exists(_feeds.Directory)) Directory.Delete(_feeds.Directory, recursive: true);
    }

    [Fact]
    public async Task An_uploaded_package_is_installed_and_its_file_deleted()
    {
        using var response = await _admin.PostAsync(Install, Upload(new TestPackageSpec("uploaded", "1.0.0")));

        var body = await RestHost.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("uploaded", body.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("Module 'uploaded' 1.0.0 installed.", body.GetProperty("messages").GetProperty("info")[0].GetString());
        Assert.Equal(["install uploaded@1.0.0 enable=True"], _transitions.Calls);
        AssertIncomingEmpty();
    }

    [Fact]
    public async Task The_enable_field_of_the_form_is_passed_on_whichever_part_comes_first()
    {
        var form = new MultipartFormDataContent { { new StringContent("false"), "enable" } };
        form.Add(new ByteArrayContent(new TestPackageSpec("quiet", "1.0.0").ToBytes()), ModuleInstallEndpointsTestsNames.Package, "quiet.nupkg");
        using var response = await _admin.PostAsync(Install, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["install quiet@1.0.0 enable=False"], _transitions.Calls);
    }

    [Fact]
    public async Task A_refused_package_answers_422_with_its_message_and_code_and_leaves_nothing()
    {
        using var response = await _admin.PostAsync(Install, Upload(new TestPackageSpec("signed-by-stranger", "1.0.0", Refusal: PackageRefusalCode.UnknownSigner)));

        var body = await RestHost.BodyAsync(response);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(422, body.GetProperty("httpCode").GetInt32());
        Assert.Equal("Package signed-by-stranger 1.0.0 refused: UnknownSigner.", body.GetProperty("messages").GetProperty("error")[0].GetString());
        Assert.Equal("UnknownSigner", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Empty(_transitions.Calls);
        AssertIncomingEmpty();
    }

    [Fact]
    public async Task A_module_from_the_feeds_is_installed_from_JSON_with_its_dependency_first()
    {
        _feeds.Add(new("from-feed", "1.0.0", new() { ["helper"] = "^2.0.0" })).Add(new("from-feed", "1.1.0", new() { ["helper"] = "^2.0.0" })).Add(new("helper", "2.3.0"));

        using var response = await _admin.PostAsJsonAsync(Install, new { id = "from-feed", version = "1.0.0", enable = true });

        var body = await RestHost.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(["install helper@2.3.0 enable=True", "install from-feed@1.0.0 enable=True"], _transitions.Calls);
        Assert.Contains("helper@2.3.0", body.GetProperty("messages").GetProperty("info")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("from-feed", body.GetProperty("data").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("{\"id\":", HttpStatusCode.BadRequest, "is not valid JSON")]
    [InlineData("{\"version\":\"1.0.0\"}", HttpStatusCode.BadRequest, "needs \"id\"")]
    [InlineData("{\"id\":\"Not A Module\"}", HttpStatusCode.BadRequest, "is not a module id")]
    [InlineData("{\"id\":\"x\",\"version\":\"one\"}", HttpStatusCode.BadRequest, "is not a SemVer version")]
    [InlineData("{\"id\":\"nowhere\"}", HttpStatusCode.NotFound, "No module feed")]
    [InlineData("{\"id\":\"test-rest\"}", HttpStatusCode.Conflict, "already installed")]
    public async Task Malformed_or_refused_JSON_requests_answer_in_the_envelope(string json, HttpStatusCode status, string says)
    {
        using var response = await _admin.PostAsync(Install, new StringContent(json, Encoding.UTF8, "application/json"));

        var body = await RestHost.BodyAsync(response);
        Assert.Equal(status, response.StatusCode);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal((int)status, body.GetProperty("httpCode").GetInt32());
        Assert.Contains(says, body.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        if (status != HttpStatusCode.BadRequest)
            Assert.Equal(status == HttpStatusCode.NotFound ? "NotFoundOnFeeds" : "AlreadyInstalled", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Empty(_transitions.Calls);
    }

    [Fact]
    public async Task A_body_neither_JSON_nor_a_form_is_415_and_a_form_without_the_package_file_400()
    {
        using (var text = await _admin.PostAsync(Install, new StringContent("module", Encoding.UTF8, "text/plain")))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        using var form = await _admin.PostAsync(Install, new MultipartFormDataContent { { new StringContent("true"), "enable" } });
        var body = await RestHost.BodyAsync(form);
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Contains("no 'package' field", body.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);

        // curl -F package=module.nupkg (no '@') sends the file's name as a text field.
        using var valueOnly = await _admin.PostAsync(Install, new MultipartFormDataContent { { new StringContent("module.nupkg"), ModuleInstallEndpointsTestsNames.Package } });
        Assert.Equal(HttpStatusCode.BadRequest, valueOnly.StatusCode);
        Assert.Contains("not a file", (await RestHost.BodyAsync(valueOnly)).GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        AssertIncomingEmpty();

        using var unknown = await _admin.PostAsync(Install, new MultipartFormDataContent { { new StringContent("/etc/passwd"), "path" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown field 'path'", (await RestHost.BodyAsync(unknown)).GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_past_Modules_MaxPackageBytes_is_refused_413_while_it_is_still_arriving_and_nothing_stays_on_disk()
    {
        // A chunked form whose package part goes on past the limit and whose body never ends (no closing
        // boundary, no last chunk): the server can only answer by refusing it part way.
        var opening = "--b0undary\r\nContent-Disposition: form-data; name=\"package\"; filename=\"big.nupkg\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        var answer = await RawHttp.ChunkedAsync(_host.Port, Install, opening, MaxPackageBytes + 32 * 1024, await BearerAsync(), "multipart/form-data; boundary=b0undary");

        Assert.Equal(413, answer.Status);
        var body = answer.Body!.Value;
        Assert.Equal("TooLarge", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Contains($"Modules:MaxPackageBytes ({MaxPackageBytes} bytes)", body.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(_verifier.Verified);
        AssertIncomingEmpty();
    }

    [Fact]
    public async Task A_declared_body_past_the_upload_limit_is_refused_413_before_it_is_sent_and_JSON_keeps_the_JSON_limit()
    {
        var declared = await RawHttp.DeclareAsync(_host.Port, Install, MaxPackageBytes + ModuleInstallEndpointsTestsNames.Framing + 1, await BearerAsync());
        Assert.Equal(413, declared.Status);
        Assert.Contains($"({MaxPackageBytes + ModuleInstallEndpointsTestsNames.Framing} bytes)", declared.Body!.Value.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);

        // Within the upload limit, but JSON: Rest:MaxJsonBodyBytes (2048 here) holds.
        var json = await RawHttp.DeclareAsync(_host.Port, Install, 4096, await BearerAsync());
        Assert.Equal(413, json.Status);
        Assert.Contains("Rest:MaxJsonBodyBytes", json.Body!.Value.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        var chunked = await RawHttp.ChunkedAsync(_host.Port, Install, "{\"id\":\"", 4096, await BearerAsync());
        Assert.Equal(413, chunked.Status);
        Assert.Contains("2048 bytes", chunked.Body!.Value.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);

        // Any other endpoint keeps the JSON limit.
        var other = await RawHttp.DeclareAsync(_host.Port, "/pbxcore/api/v3/modules/test-rest:enable", 4096, await BearerAsync());
        Assert.Equal(413, other.Status);
    }

    [Fact]
    public async Task Without_credentials_401_and_without_Modules_Write_403()
    {
        using (var anonymous = await _host.Http.PostAsync(Install, Upload(new TestPackageSpec("anon", "1.0.0"))))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var created = await _admin.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = "reader", permissions = new[] { "Modules:Read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var reader = _host.WithApiKey((await RestHost.BodyAsync(created)).GetProperty("data").GetProperty("key").GetString()!);
        using (var install = await reader.PostAsync(Install, Upload(new TestPackageSpec("read-only", "1.0.0"))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, install.StatusCode);
            Assert.Contains("Modules:Write", (await RestHost.BodyAsync(install)).GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        }
        using (var upgrade = await reader.PostAsJsonAsync("/pbxcore/api/v3/modules/test-rest:upgrade", new { version = "1.1.0" }))
            Assert.Equal(HttpStatusCode.Forbidden, upgrade.StatusCode);
        Assert.Empty(_transitions.Calls);
        AssertIncomingEmpty();
    }

    [Fact]
    public async Task An_upgrade_from_the_feeds_takes_the_newest_with_an_empty_body_or_none_and_a_given_version_from_JSON()
    {
        _feeds.Add(new("test-rest", "1.0.0")).Add(new("test-rest", "1.1.0")).Add(new("test-rest", "1.2.0"));

        using (var newest = await _admin.PostAsync("/pbxcore/api/v3/modules/test-rest:upgrade", null))
            Assert.True(newest.StatusCode == HttpStatusCode.OK, (await RestHost.BodyAsync(newest)).ToString());
        using (var given = await _admin.PostAsJsonAsync("/pbxcore/api/v3/modules/test-rest:upgrade", new { version = "1.1.0", allowDowngrade = false }))
            Assert.Equal(HttpStatusCode.OK, given.StatusCode);
        var bare = await RawHttp.PostWithoutBodyAsync(_host.Port, "/pbxcore/api/v3/modules/test-rest:upgrade", await BearerAsync());
        Assert.True(bare.Status == 200, bare.Body?.ToString());

        Assert.Equal(["upgrade test-rest@1.2.0 allowDowngrade=False", "upgrade test-rest@1.1.0 allowDowngrade=False", "upgrade test-rest@1.2.0 allowDowngrade=False"], _transitions.Calls);
    }

    [Fact]
    public async Task An_upgrade_answers_409_for_a_downgrade_not_asked_for_404_for_a_module_not_installed_and_takes_a_form()
    {
        _feeds.Add(new("test-rest", "0.9.0"));
        using (var downgrade = await _admin.PostAsJsonAsync("/pbxcore/api/v3/modules/test-rest:upgrade", new { version = "0.9.0" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, downgrade.StatusCode);
            Assert.Equal("Downgrade", (await RestHost.BodyAsync(downgrade)).GetProperty("data").GetProperty("code").GetString());
        }
        using (var missing = await _admin.PostAsJsonAsync("/pbxcore/api/v3/modules/not-here:upgrade", new { version = (string?)null }))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("NotInstalled", (await RestHost.BodyAsync(missing)).GetProperty("data").GetProperty("code").GetString());
        }

        var form = Upload(new TestPackageSpec("test-rest", "0.8.0"));
        form.Add(new StringContent("true"), "allowDowngrade");
        using (var upload = await _admin.PostAsync("/pbxcore/api/v3/modules/test-rest:upgrade", form))
            Assert.True(upload.StatusCode == HttpStatusCode.OK, (await RestHost.BodyAsync(upload)).ToString());
        Assert.Equal(["upgrade test-rest@0.8.0 allowDowngrade=True"], _transitions.Calls);
        AssertIncomingEmpty();
    }

    [Fact]
    public async Task The_other_module_routes_still_answer_beside_these()
    {
        using (var one = await _admin.GetAsync("/pbxcore/api/v3/modules/test-rest")) Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        using (var getInstall = await _admin.GetAsync(Install)) Assert.Equal(HttpStatusCode.MethodNotAllowed, getInstall.StatusCode);
        using var document = await _admin.GetAsync("/pbxcore/api/v3/openapi.json");
        var paths = (await RestHost.BodyAsync(document)).GetProperty("paths");
        var install = paths.GetProperty(Install).GetProperty("post");
        Assert.True(install.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.True(install.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.Contains("data.code", install.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(paths.TryGetProperty("/pbxcore/api/v3/modules/{id}:upgrade", out _));
    }

    private static MultipartFormDataContent Upload(TestPackageSpec spec)
    {
        var file = new ByteArrayContent(spec.ToBytes());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, ModuleInstallEndpointsTestsNames.Package, spec.Id + ".nupkg" } };
    }

    private async Task<string> BearerAsync() => "Bearer " + (await _host.LoginAsync()).GetProperty("accessToken").GetString();

    private void AssertIncomingEmpty()
        => Assert.True(!Directory.Exists(Incoming) || !Directory.EnumerateFileSystemEntries(Incoming).Any(), "an upload was left in " + Incoming);
}

/// <summary>The endpoint's names, as a client writes them (not taken from the code under test).</summary>
internal static class ModuleInstallEndpointsTestsNames
{
    public const string Package = "package";

    public const int Framing = 64 * 1024;
}
