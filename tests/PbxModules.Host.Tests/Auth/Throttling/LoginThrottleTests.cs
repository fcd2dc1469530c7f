using System.Net;
using System.Net.Http.Json;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Auth.Throttling;

/// <summary>
/// Failed logins and failed API keys are throttled per account and per client address (real
/// Kestrel, client addresses 127.0.0.x, the host's fake clock: no waiting). Three failures lock for
/// 30 s, each further failure doubles the lock, a success clears it.
/// </summary>
public sealed class LoginThrottleTests : IAsyncLifetime
{
    private const string Login = "/pbxcore/api/v3/auth:login";
    private const string Modules = "/pbxcore/api/v3/modules";
    private RestHost _host = null!;

    public async Task InitializeAsync() => _host = await RestHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Auth:MaxFailures"] = "3",
        ["Auth:FirstLockout"] = "00:00:30",
        ["Auth:MaxLockout"] = "00:10:00",
        // The coarse per-address request limit is tested on its own below.
        ["Auth:AddressPermitLimit"] = "10000",
        ["Auth:AddressWindow"] = "01:00:00",
        // "User … logged in" is what a checked, right password logs.
        ["Logging:LogLevel:PbxModules.Host.Auth.AuthService"] = "Information",
    });

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Wrong_passwords_lock_the_account_for_a_growing_time_a_locked_login_is_not_checked_and_a_success_resets()
    {
        using var client = _host.ClientFrom("127.0.0.11");
        await LoginAsync(client, "wrong 1", HttpStatusCode.Unauthorized);
        await LoginAsync(client, "wrong 2", HttpStatusCode.Unauthorized);
        Assert.Equal(30, await LoginAsync(client, "wrong 3", HttpStatusCode.TooManyRequests));
        Assert.Contains(_host.Logs, l => l.Contains("Logins for account admin are locked for 00:00:30 after 3 failed attempts", StringComparison.Ordinal));

        // While locked the password is not looked at: the right one gets the same 429 as a wrong one.
        _host.Time.Advance(TimeSpan.FromSeconds(10));
        var (rightStatus, rightBody) = await RawLoginAsync(client, RestHost.AdminPassword);
        var (wrongStatus, wrongBody) = await RawLoginAsync(client, "wrong 4");
        Assert.Equal(HttpStatusCode.TooManyRequests, rightStatus);
        Assert.Equal(rightStatus, wrongStatus);
        Assert.Equal(rightBody, wrongBody);
        Assert.DoesNotContain(_host.Logs, l => l.Contains("User admin logged in", StringComparison.Ordinal));

        // After the lock, the next failure locks again for twice as long, then four times.
        _host.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(60, await LoginAsync(client, "wrong 5", HttpStatusCode.TooManyRequests));
        _host.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(120, await LoginAsync(client, "wrong 6", HttpStatusCode.TooManyRequests));
        Assert.Contains(_host.Logs, l => l.Contains("Logins for account admin are locked for 00:02:00 after 5 failed attempts", StringComparison.Ordinal));

        // After the lock the right password works and clears the count: the next wrong one is a plain 401.
        _host.Time.Advance(TimeSpan.FromSeconds(120));
        await LoginAsync(client, RestHost.AdminPassword, HttpStatusCode.OK);
        Assert.Contains(_host.Logs, l => l.Contains("User admin logged in", StringComparison.Ordinal));
        await LoginAsync(client, "wrong 7", HttpStatusCode.Unauthorized);
        await LoginAsync(client, "wrong 8", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task One_address_spraying_accounts_is_locked_without_locking_the_account_for_another_address()
    {
        using var attacker = _host.ClientFrom("127.0.0.21");
        using var someoneElse = _host.ClientFrom("127.0.0.22");
        await LoginAsync(attacker, "x", HttpStatusCode.Unauthorized, user: "nobody-1");
        await LoginAsync(attacker, "x", HttpStatusCode.Unauthorized, user: "nobody-2");
        Assert.Equal(30, await LoginAsync(attacker, "x", HttpStatusCode.TooManyRequests, user: "admin"));
        Assert.Contains(_host.Logs, l => l.Contains("Logins from 127.0.0.21 are locked for 00:00:30 after 3 failed attempts", StringComparison.Ordinal));

        // The address is locked whatever account it names, and whatever X-Forwarded-For claims.
        await LoginAsync(attacker, RestHost.AdminPassword, HttpStatusCode.TooManyRequests, user: "admin");
        using (var forwarded = new HttpRequestMessage(HttpMethod.Post, Login) { Content = JsonContent.Create(new { username = "admin", password = RestHost.AdminPassword }) })
        {
            forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var response = await attacker.SendAsync(forwarded);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        // admin has one failure, far from a lock: from another address admin logs in.
        await LoginAsync(someoneElse, RestHost.AdminPassword, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unknown_api_keys_lock_the_address_a_working_key_is_refused_while_locked_and_clears_it_afterwards()
    {
        string key;
        using (var admin = await _host.AdminAsync())
        using (var created = await admin.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = "throttle", permissions = new[] { "Modules:Read" } }))
            key = (await RestHost.BodyAsync(created)).GetProperty("data").GetProperty("key").GetString()!;
        var wrong = new string('a', 64);

        using var attacker = _host.ClientFrom("127.0.0.31");
        using var other = _host.ClientFrom("127.0.0.32");
        await KeyAsync(attacker, wrong, HttpStatusCode.Unauthorized);
        await KeyAsync(attacker, "not a key at all", HttpStatusCode.Unauthorized);
        Assert.Equal(30, await KeyAsync(attacker, wrong, HttpStatusCode.TooManyRequests));
        Assert.Contains(_host.Logs, l => l.Contains("API keys from 127.0.0.31 are refused for 00:00:30 after 3", StringComparison.Ordinal));

        // Locked: the working key is not even looked at; from another address it works.
        Assert.True(await KeyAsync(attacker, key, HttpStatusCode.TooManyRequests) is > 0 and <= 30);
        await KeyAsync(other, key, HttpStatusCode.OK);

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(60, await KeyAsync(attacker, wrong, HttpStatusCode.TooManyRequests));
        _host.Time.Advance(TimeSpan.FromSeconds(60));
        await KeyAsync(attacker, key, HttpStatusCode.OK);
        await KeyAsync(attacker, wrong, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_auth_endpoints_take_a_bounded_number_of_requests_per_address_whatever_their_outcome()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:AddressPermitLimit"] = "2",
            // A window no test run outlasts: the third request cannot fall into a new one.
            ["Auth:AddressWindow"] = "1.00:00:00",
        });
        using var client = host.ClientFrom("127.0.0.41");
        using var other = host.ClientFrom("127.0.0.42");
        await LoginAsync(client, RestHost.AdminPassword, HttpStatusCode.OK);
        await LoginAsync(client, RestHost.AdminPassword, HttpStatusCode.OK);
        using var refused = await client.PostAsJsonAsync(Login, new { username = "admin", password = RestHost.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        var body = await RestHost.BodyAsync(refused);
        Assert.Equal(429, body.GetProperty("httpCode").GetInt32());
        Assert.False(body.GetProperty("success").GetBoolean());
        await LoginAsync(other, RestHost.AdminPassword, HttpStatusCode.OK);
    }

    // Returns Retry-After in seconds for a 429, 0 otherwise.
    private static async Task<int> LoginAsync(HttpClient client, string password, HttpStatusCode expected, string user = "admin")
    {
        using var response = await client.PostAsJsonAsync(Login, new { username = user, password });
        var body = await RestHost.BodyAsync(response);
        Assert.True(expected == response.StatusCode, $"{user}/{password}: expected {expected}, got {(int)response.StatusCode} {body}");
        Assert.Equal((int)expected, body.GetProperty("httpCode").GetInt32());
        return RetryAfter(response, expected);
    }

    private static async Task<(HttpStatusCode Status, string Body)> RawLoginAsync(HttpClient client, string password)
    {
        using var response = await client.PostAsJsonAsync(Login, new { username = "admin", password });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> KeyAsync(HttpClient client, string key, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Modules);
        request.Headers.Add("X-Api-Key", key);
        using var response = await client.SendAsync(request);
        var body = await RestHost.BodyAsync(response);
        Assert.True(expected == response.StatusCode, $"key {key[..Math.Min(8, key.Length)]}…: expected {expected}, got {(int)response.StatusCode} {body}");
        return RetryAfter(response, expected);
    }

    private static int RetryAfter(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (expected != HttpStatusCode.TooManyRequests) return 0;
        var delta = response.Headers.RetryAfter?.Delta;
        Assert.True(delta is not null, "a 429 without Retry-After");
        return (int)delta!.Value.TotalSeconds;
    }
}
