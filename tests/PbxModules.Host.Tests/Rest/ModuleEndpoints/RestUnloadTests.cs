using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Configuration;
using PbxModules.Host.HostData;
using PbxModules.Host.Modules;
using PbxModules.Host.Rest;
using PbxModules.Host.Rest.ModuleEndpoints;

namespace PbxModules.Host.Tests.Rest.ModuleEndpoints;

/// <summary>
/// The REST surface alone (module manager + endpoint source + activation listener, no web server,
/// no other surface): after every kind of module endpoint has been built and called, disabling the
/// module leaves it functionally gone. Its endpoints leave the source, and even an endpoint a
/// request matched just before (held here from before the disable) answers 404 without reaching the
/// module's disposed container. The unloaded load context reaches <see cref="UnloadedModuleContexts"/>;
/// without a REST surface it is collected (the control: proves the tracker forgets collected ones).
/// Whether framework caches keep it in memory once REST endpoints were built is measured in
/// docs/UNLOADING.md, not asserted.
/// </summary>
public sealed class RestUnloadTests : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pbxmodules-rest-unload", Guid.NewGuid().ToString("N"));
    private ServiceProvider? _provider;

    [Fact]
    public async Task Without_a_REST_surface_the_disabled_modules_context_is_collected_and_forgotten()
    {
        var manager = await StartAsync(listener: false);
        var unloaded = _provider!.GetRequiredService<UnloadedModuleContexts>();

        var result = await manager.DisableAsync(RestHost.ModuleId, null, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Done, result.Status);

        Assert.Equal(1, unloaded.Unloaded);
        Assert.True(await CollectedAsync(unloaded), "the disabled module's load context is still alive without any REST surface");
    }

    /// <param name="call">Whether every endpoint is called before the disable, or only built.</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_disabled_modules_endpoints_answer_404_even_when_a_request_matched_them_before(bool call)
    {
        var manager = await StartAsync();
        var provider = _provider!;
        var source = provider.GetRequiredService<ModuleEndpointDataSource>();
        var endpoints = source.Endpoints.Cast<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        if (call) await CallEverythingAsync(source);

        var result = await manager.DisableAsync(RestHost.ModuleId, null, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Empty(source.Endpoints);
        Assert.Equal(1, provider.GetRequiredService<UnloadedModuleContexts>().Unloaded);

        foreach (var endpoint in endpoints)
        {
            var context = new DefaultHttpContext { RequestServices = provider };
            context.Request.Method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0];
            context.Response.Body = new MemoryStream();
            await endpoint.RequestDelegate!(context);
            Assert.True(context.Response.StatusCode == StatusCodes.Status404NotFound, $"{endpoint.DisplayName} answered {context.Response.StatusCode} after the disable");
            Assert.Contains("is being disabled", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), StringComparison.Ordinal);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task CallEverythingAsync(ModuleEndpointDataSource source)
    {
        // In a fixed order (DELETE last, so that the record the others touch still exists), each call
        // must answer what the resource answers for it; a wrong status is a failure, not just "any status".
        var calls = source.Endpoints.Cast<RouteEndpoint>()
            .Select(e => (Endpoint: e, Verb: e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0], Pattern: e.RoutePattern.RawText!))
            .OrderBy(c => Array.IndexOf(CallOrder, c.Verb)).ThenBy(c => c.Pattern, StringComparer.Ordinal)
            .ToList();
        var answered = new List<(string Call, int Status)>();
        foreach (var (endpoint, verb, pattern) in calls)
        {
            // ":slow" waits for a release file: the drain test's, not this one's.
            if (pattern.EndsWith(":slow", StringComparison.Ordinal)) continue;
            var context = new DefaultHttpContext { RequestServices = _provider! };
            context.Request.Method = verb;
            context.Response.Body = new MemoryStream();
            if (pattern.Contains("{id}", StringComparison.Ordinal)) context.Request.RouteValues["id"] = "3";
            if (verb is "POST" or "PUT" or "PATCH")
            {
                var json = pattern.EndsWith(":import", StringComparison.Ordinal) ? """[ { "number": "+4930111333" }, { "number": "x" } ]""" : """{ "number": "+4930111222", "description": "d" }""";
                context.Request.ContentType = "application/json";
                var body = Encoding.UTF8.GetBytes(json);
                // Kestrel says whether a request can have a body; without that feature minimal APIs see none,
                // and every write answered 400 unnoticed while the assertion accepted any status.
                context.Features.Set<IHttpRequestBodyDetectionFeature>(new WithBody());
                context.Request.ContentLength = body.Length;
                context.Request.Body = new MemoryStream(body);
            }
            else
            {
                context.Request.QueryString = new QueryString("?limit=5&order=-number&search=5");
            }
            await endpoint.RequestDelegate!(context);
            answered.Add((Key(verb, pattern), context.Response.StatusCode));
            Assert.True(context.Response.Body.Length > 0, $"{verb} {pattern} answered an empty body");
        }
        Assert.Equal(Expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value)), answered.OrderBy(a => a.Call, StringComparer.Ordinal));
    }

    private static readonly string[] CallOrder = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    // RestModule's NumbersResource, seeded with ids 1 to 45: what each call above must answer.
    private static readonly Dictionary<string, int> Expected = new(StringComparer.Ordinal)
    {
        ["GET "] = 200,
        ["GET /{id}"] = 200,
        ["GET :boom"] = 500,
        ["GET :stats"] = 200,
        ["POST "] = 201,
        ["POST :import"] = 422, // one of its two rows ("x") is not a number: the whole body is refused
        ["POST :upload"] = 200, // reads the whole body, whatever it is
        ["PUT /{id}"] = 200,
        ["PATCH /{id}"] = 200,
        ["DELETE /{id}"] = 200,
    };

    private sealed class WithBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private static string Key(string verb, string pattern)
    {
        const string Resource = "test-rest/numbers";
        return verb + " " + pattern[(pattern.IndexOf(Resource, StringComparison.Ordinal) + Resource.Length)..];
    }

    private static async Task<bool> CollectedAsync(UnloadedModuleContexts unloaded)
    {
        for (var i = 0; i < 20 && unloaded.StillAlive().Count > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Yield();
        }
        return unloaded.StillAlive().Count == 0;
    }

    private async Task<ModuleManager> StartAsync(bool listener = true)
    {
        var modules = Path.Combine(_root, "modules");
        var source = Path.Combine(AppContext.BaseDirectory, "testmodules", "RestModule");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(modules, "RestModule", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Paths:Data"] = Path.Combine(_root, "data"),
            ["Paths:Modules"] = modules,
        }).Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<PathsOptions>().Bind(configuration.GetSection(PathsOptions.SectionName));
        services.AddPbxModules(configuration);
        services.AddSingleton<ModuleEndpointDataSource>();
        services.AddSingleton<ModuleEndpointFactory>();
        if (listener) services.AddSingleton<IModuleActivationListener, ModuleRestActivationListener>();
        _provider = services.BuildServiceProvider();

        await HostDatabase.MigrateAsync(_provider.GetRequiredService<IDbContextFactory<HostDbContext>>(), CancellationToken.None);
        var manager = _provider.GetRequiredService<ModuleManager>();
        await manager.StartAsync(CancellationToken.None);
        Assert.Equal(ModuleState.Enabled, manager.Registry.GetModule(RestHost.ModuleId)?.State);
        return manager;
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.GetRequiredService<ModuleManager>().StopAsync(CancellationToken.None);
            await _provider.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
