using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Auth;
using PbxModules.Host.HostData;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Auth;

/// <summary>
/// Authentication and permissions through the real daemon on real Kestrel with
/// <c>Rest:TrustLoopback=false</c>: JWT access and refresh tokens, API keys, Resource:Action RBAC.
/// Token expiry is driven by the host's fake clock.
/// </summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string Modules = "/pbxcore/api/v3/modules";
    private const string Numbers = "/pbxcore/api/v3/test-rest/numbers";
    private RestHost _host = null!;

    public async Task InitializeAsync() => _host = await RestHost.StartAsync(trustLoopback: false);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Theory]
    [InlineData(Modules)]
    [InlineData(Numbers)]
    [InlineData("/pbxcore/api/v3/api-keys")]
    [InlineData("/pbxcore/api/v3/openapi.json")]
    [InlineData("/pbxcore/api/v3/dialplan")]
    public async Task Without_credentials_every_api_route_answers_401(string path)
    {
        using var response = await _host.Http.GetAsync(path);
        var body = await RestHost.BodyAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, body.GetProperty("httpCode").GetInt32());
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Health_stays_anonymous()
    {
        using var response = await _host.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Login_gives_an_access_token_that_works()
    {
        var tokens = await _host.LoginAsync();
        Assert.Equal("Bearer", tokens.GetProperty("tokenType").GetString());
        Assert.Equal(15 * 60, tokens.GetProperty("expiresIn").GetInt32());
        using var client = _host.WithBearer(tokens.GetProperty("accessToken").GetString()!);
        using var response = await client.GetAsync(Modules);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("admin", "wrong password")]
    [InlineData("nobody", RestHost.AdminPassword)]
    public async Task A_wrong_user_or_password_answers_401(string user, string password)
    {
        using var response = await _host.Http.PostAsJsonAsync("/pbxcore/api/v3/auth:login", new { username = user, password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong user name or password", (await RestHost.BodyAsync(response)).GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_without_a_password_answers_422_naming_the_field()
    {
        using var response = await _host.Http.PostAsJsonAsync("/pbxcore/api/v3/auth:login", new { username = "admin" });
        var body = await RestHost.BodyAsync(response);
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.True(body.GetProperty("messages").GetProperty("fields").TryGetProperty("password", out _), body.ToString());
    }

    [Fact]
    public async Task An_access_token_expires_after_15_minutes()
    {
        var access = (await _host.LoginAsync()).GetProperty("accessToken").GetString()!;
        using var client = _host.WithBearer(access);

        _host.Time.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59));
        using (var stillValid = await client.GetAsync(Modules)) Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        using var expired = await client.GetAsync(Modules);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("invalid_token", expired.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_or_garbled_token_answers_401()
    {
        var access = (await _host.LoginAsync()).GetProperty("accessToken").GetString()!;
        var parts = access.Split('.');
        // Same header and payload, another signature: must not pass.
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        foreach (var token in new[] { forged, "not-a-jwt", access + "x" })
        {
            using var client = _host.WithBearer(token);
            using var response = await client.GetAsync(Modules);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_ends_the_session()
    {
        var first = await _host.LoginAsync();
        var refresh1 = first.GetProperty("refreshToken").GetString()!;

        var second = await RefreshAsync(refresh1, HttpStatusCode.OK);
        var refresh2 = second.GetProperty("data").GetProperty("refreshToken").GetString()!;
        var access2 = second.GetProperty("data").GetProperty("accessToken").GetString()!;
        Assert.NotEqual(refresh1, refresh2);
        using (var client = _host.WithBearer(access2))
        using (var ok = await client.GetAsync(Modules))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        // The old refresh token is spent; presenting it again is theft: the whole session ends.
        await RefreshAsync(refresh1, HttpStatusCode.Unauthorized);
        await RefreshAsync(refresh2, HttpStatusCode.Unauthorized);
        using var revoked = _host.WithBearer(access2);
        using var denied = await revoked.GetAsync(Modules);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_expires_after_30_days()
    {
        var refresh = (await _host.LoginAsync()).GetProperty("refreshToken").GetString()!;
        _host.Time.Advance(TimeSpan.FromDays(30));
        await RefreshAsync(refresh, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token_and_the_sessions_access_tokens()
    {
        var tokens = await _host.LoginAsync();
        var refresh = tokens.GetProperty("refreshToken").GetString()!;
        using var client = _host.WithBearer(tokens.GetProperty("accessToken").GetString()!);

        using (var logout = await _host.Http.PostAsJsonAsync("/pbxcore/api/v3/auth:logout", new { refreshToken = refresh }))
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);

        await RefreshAsync(refresh, HttpStatusCode.Unauthorized);
        using var response = await client.GetAsync(Modules);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // Another session of the same user is untouched.
        using var other = await _host.AdminAsync();
        using var fine = await other.GetAsync(Modules);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Refresh_tokens_are_stored_hashed()
    {
        var refresh = (await _host.LoginAsync()).GetProperty("refreshToken").GetString()!;
        var rows = await DumpTableAsync("c_refresh_tokens");
        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, r => r.Contains(refresh, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(TokenService.Hash(refresh), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_api_key_works_is_shown_once_and_is_stored_hashed()
    {
        using var admin = await _host.AdminAsync();
        var created = await CreateKeyAsync(admin, new { name = "crm", permissions = new[] { "TestRest:Read", "Modules:Read" } });
        var key = created.GetProperty("key").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", key);

        using (var client = _host.WithApiKey(key))
        {
            using var list = await client.GetAsync(Numbers);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }
        // MikoPBX clients send keys as bearer tokens; that works too.
        using (var bearer = _host.WithBearer(key))
        using (var viaBearer = await bearer.GetAsync(Modules))
            Assert.Equal(HttpStatusCode.OK, viaBearer.StatusCode);

        using var listing = await admin.GetAsync("/pbxcore/api/v3/api-keys");
        var listed = await listing.Content.ReadAsStringAsync();
        Assert.Contains("crm", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);

        var rows = await DumpTableAsync("c_api_keys");
        var row = Assert.Single(rows);
        Assert.DoesNotContain(key, row, StringComparison.Ordinal);
        Assert.Contains(TokenService.Hash(key), row, StringComparison.Ordinal);
        Assert.Contains(key[..16], row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_or_unknown_api_key_answers_401()
    {
        using var admin = await _host.AdminAsync();
        var created = await CreateKeyAsync(admin, new { name = "temp", roles = new[] { "admin" } });
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("apiKey").GetProperty("id").GetInt32();

        using (var revoke = await admin.DeleteAsync($"/pbxcore/api/v3/api-keys/{id}")) Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var client = _host.WithApiKey(key);
        using (var response = await client.GetAsync(Modules)) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // Same key id, another secret: found by its id, refused by its hash.
        using var forged = _host.WithApiKey(key[..16] + new string('0', 48));
        using (var response = await forged.GetAsync(Modules)) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_missing_permission_answers_403_naming_it()
    {
        using var admin = await _host.AdminAsync();
        var key = (await CreateKeyAsync(admin, new { name = "reader", permissions = new[] { "TestRest:Read" } })).GetProperty("key").GetString()!;
        using var reader = _host.WithApiKey(key);

        using (var read = await reader.GetAsync(Numbers)) Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        using var write = await reader.PostAsJsonAsync(Numbers, new { number = "+4930999888" });
        var body = await RestHost.BodyAsync(write);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(403, body.GetProperty("httpCode").GetInt32());
        Assert.Contains("TestRest:Write", body.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);

        using (var modules = await reader.GetAsync(Modules)) Assert.Equal(HttpStatusCode.Forbidden, modules.StatusCode);
        using (var disable = await reader.PostAsync($"{Modules}/test-rest:disable", null)) Assert.Equal(HttpStatusCode.Forbidden, disable.StatusCode);
    }

    [Fact]
    public async Task Resource_wildcards_and_roles_grant_permissions()
    {
        using var admin = await _host.AdminAsync();
        var key = (await CreateKeyAsync(admin, new { name = "all-numbers", permissions = new[] { "TestRest:*" } })).GetProperty("key").GetString()!;
        using var client = _host.WithApiKey(key);
        using (var write = await client.PostAsJsonAsync(Numbers, new { number = "+4930555444" })) Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        using (var modules = await client.GetAsync(Modules)) Assert.Equal(HttpStatusCode.Forbidden, modules.StatusCode);
    }

    [Fact]
    public async Task A_key_cannot_hand_out_more_than_its_caller_holds()
    {
        using var admin = await _host.AdminAsync();
        var key = (await CreateKeyAsync(admin, new { name = "key-maker", permissions = new[] { "ApiKeys:Write", "TestRest:Read" } })).GetProperty("key").GetString()!;
        using var maker = _host.WithApiKey(key);

        using (var allowed = await maker.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = "sub", permissions = new[] { "TestRest:Read" } }))
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        using (var escalate = await maker.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = "root", roles = new[] { "admin" } }))
            Assert.Equal(HttpStatusCode.Forbidden, escalate.StatusCode);
        using (var unknown = await admin.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = "x", roles = new[] { "no-such-role" } }))
            Assert.Equal((HttpStatusCode)422, unknown.StatusCode);
    }

    [Fact]
    public async Task Secrets_never_reach_the_log()
    {
        var tokens = await _host.LoginAsync();
        using var admin = _host.WithBearer(tokens.GetProperty("accessToken").GetString()!);
        var key = (await CreateKeyAsync(admin, new { name = "logged?", roles = new[] { "admin" } })).GetProperty("key").GetString()!;
        using (var wrong = await _host.Http.PostAsJsonAsync("/pbxcore/api/v3/auth:login", new { username = "admin", password = "a-wrong-secret-attempt" })) { }

        var log = string.Join('\n', _host.Logs);
        Assert.Contains("Failed login for user admin", log, StringComparison.Ordinal);
        foreach (var secret in new[] { RestHost.AdminPassword, "a-wrong-secret-attempt", key, tokens.GetProperty("refreshToken").GetString()!, tokens.GetProperty("accessToken").GetString()! })
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
    }

    private async Task<JsonElement> RefreshAsync(string refreshToken, HttpStatusCode expected)
    {
        using var response = await _host.Http.PostAsJsonAsync("/pbxcore/api/v3/auth:refresh", new { refreshToken });
        var body = await RestHost.BodyAsync(response);
        Assert.True(expected == response.StatusCode, $"refresh: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<JsonElement> CreateKeyAsync(HttpClient admin, object request)
    {
        using var response = await admin.PostAsJsonAsync("/pbxcore/api/v3/api-keys", request);
        var body = await RestHost.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("data");
    }

    /// <summary>Every row of a host table, all columns joined, read straight from the SQLite file.</summary>
    private async Task<IReadOnlyList<string>> DumpTableAsync(string table)
    {
        await using var connection = new SqliteConnection(HostDatabase.ConnectionString(_host.DataDirectory));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }
}
