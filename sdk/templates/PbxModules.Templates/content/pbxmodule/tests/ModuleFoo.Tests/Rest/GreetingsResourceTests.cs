using System.Net;
using System.Net.Http.Json;

namespace ModuleFoo.Tests.Rest;

/// <summary><c>/pbxcore/api/v3/module-foo/greetings</c> over real HTTP, with the administrator's API key the test host made.</summary>
public sealed class GreetingsResourceTests
{
    private const string Greetings = FooHost.Greetings;

    [Fact]
    public async Task A_created_greeting_is_listed_and_read_back()
    {
        await using var host = await FooHost.StartAsync();

        var id = await host.AddGreetingAsync("+15550200", "custom/welcome");

        using var list = await host.Rest.GetAsync($"{Greetings}?search=555");
        var page = await FooHost.ReadAsync(list);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(1, page.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(id, page.GetProperty("data")[0].GetProperty("id").GetInt32());

        using var record = await host.Rest.GetAsync($"{Greetings}/{id}");
        var greeting = (await FooHost.ReadAsync(record)).GetProperty("data");
        Assert.Equal("+15550200", greeting.GetProperty("callerId").GetString());
        Assert.Equal("custom/welcome", greeting.GetProperty("sound").GetString());
        Assert.Equal(0, greeting.GetProperty("hangups").GetInt64());
    }

    [Fact]
    public async Task Bad_input_answers_422_naming_each_field()
    {
        await using var host = await FooHost.StartAsync();

        using var response = await host.Rest.PostAsJsonAsync(Greetings, new { callerId = "not a number", sound = "../../etc/passwd" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var fields = (await FooHost.ReadAsync(response)).GetProperty("messages").GetProperty("fields");
        Assert.True(fields.TryGetProperty("callerId", out _), fields.ToString());
        Assert.True(fields.TryGetProperty("sound", out _), fields.ToString());
    }

    [Fact]
    public async Task A_second_greeting_for_the_same_caller_is_a_conflict()
    {
        await using var host = await FooHost.StartAsync();
        await host.AddGreetingAsync("+15550201", "custom/welcome");

        using var response = await host.Rest.PostAsJsonAsync(Greetings, new { callerId = "+15550201", sound = "custom/other" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task A_deleted_greeting_is_gone()
    {
        await using var host = await FooHost.StartAsync();
        var id = await host.AddGreetingAsync("+15550202", "custom/welcome");

        using var deleted = await host.Rest.DeleteAsync($"{Greetings}/{id}");
        using var again = await host.Rest.GetAsync($"{Greetings}/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_client_without_credentials_is_refused()
    {
        await using var host = await FooHost.StartAsync();
        using var anonymous = host.CreateClient();

        using var response = await anonymous.GetAsync(Greetings);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
