namespace PbxModules.Host.Tests.Rest;

/// <summary>
/// Base of the test classes that call the API as an administrator: every test gets a fresh daemon
/// (<see cref="RestHost"/>, so no test sees another's data) and a logged-in administrator's client.
/// </summary>
public abstract class AdminRestHostTests : IAsyncLifetime
{
    /// <summary>The test's daemon.</summary>
    protected RestHost Server { get; private set; } = null!;

    /// <summary>A client of <see cref="Server"/> that sends the administrator's access token.</summary>
    protected HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RestHost.StartAsync();
        Admin = await Server.AdminAsync();
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}
