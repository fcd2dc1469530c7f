using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NuGet.Packaging;

namespace PbxModules.Host.Tests.Packages.Feeds;

/// <summary>
/// A NuGet v3 feed on a loopback port (HttpListener): the service index, search (with its packageType and
/// packageid: filters), registration and flat container resources, serving real .nupkg files, as a hosted
/// feed answers NuGet.Protocol. <see cref="Broken"/> answers 500 to everything instead.
/// </summary>
internal sealed class LoopbackV3Feed : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, List<(string Version, string Path, PackageArchiveReader Reader)>> _packages = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _serving;

    public LoopbackV3Feed(IEnumerable<string> nupkgs, bool broken = false)
    {
        Broken = broken;
        foreach (var path in nupkgs)
        {
            var reader = new PackageArchiveReader(path);
            var id = reader.NuspecReader.GetId();
            if (!_packages.TryGetValue(id, out var list)) _packages[id] = list = [];
            list.Add((reader.NuspecReader.GetVersion().ToNormalizedString(), path, reader));
        }
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseUrl = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public bool Broken { get; }

    public string BaseUrl { get; }

    /// <summary>The source to configure.</summary>
    public string IndexUrl => BaseUrl + "v3/index.json";

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var response = context.Response;
            var (status, type, body) = Broken ? (500, "text/plain", "broken"u8.ToArray()) : Answer(context.Request.Url!);
            response.StatusCode = status;
            response.ContentType = type;
            await response.OutputStream.WriteAsync(body);
        }
    }

    private (int, string, byte[]) Answer(Uri url)
    {
        var path = url.AbsolutePath;
        if (path == "/v3/index.json")
        {
            return Json(new
            {
                version = "3.0.0",
                resources = new object[]
                {
                    new Dictionary<string, string> { ["@id"] = BaseUrl + "query", ["@type"] = "SearchQueryService/3.5.0" },
                    new Dictionary<string, string> { ["@id"] = BaseUrl + "registration/", ["@type"] = "RegistrationsBaseUrl/3.6.0" },
                    new Dictionary<string, string> { ["@id"] = BaseUrl + "flat/", ["@type"] = "PackageBaseAddress/3.0.0" },
                },
            });
        }
        if (path == "/query")
        {
            var query = System.Web.HttpUtility.ParseQueryString(url.Query);
            var packageType = query["packageType"];
            var term = query["q"] ?? string.Empty;
            var results = _packages
                .Where(p => term.Length == 0 || (term.StartsWith("packageid:", StringComparison.Ordinal) && string.Equals(term["packageid:".Length..], p.Key, StringComparison.OrdinalIgnoreCase)))
                .Where(p => packageType is null || p.Value.Any(v => v.Reader.NuspecReader.GetPackageTypes().Any(t => t.Name == packageType)))
                .Select(p => new { id = p.Key, version = p.Value[^1].Version, versions = p.Value.Select(v => new { version = v.Version, downloads = 0 }) })
                .ToList();
            return Json(new { totalHits = results.Count, data = results });
        }
        var segments = path.Trim('/').Split('/');
        if (segments is ["registration", var id, "index.json"] && _packages.TryGetValue(id, out var versions))
        {
            var leaves = versions.Select(v => new Dictionary<string, object>
            {
                ["@id"] = $"{BaseUrl}registration/{id}/{v.Version}.json",
                ["catalogEntry"] = new Dictionary<string, object>
                {
                    ["@id"] = $"{BaseUrl}catalog/{id}/{v.Version}.json",
                    ["id"] = v.Reader.NuspecReader.GetId(),
                    ["version"] = v.Version,
                    ["tags"] = v.Reader.NuspecReader.GetTags().Split(' '),
                    ["listed"] = true,
                    ["published"] = "2026-01-01T00:00:00Z",
                },
                ["packageContent"] = $"{BaseUrl}flat/{id}/{v.Version}/{id}.{v.Version}.nupkg",
            }).ToList();
            return Json(new Dictionary<string, object>
            {
                ["count"] = 1,
                ["items"] = new[] { new Dictionary<string, object> { ["@id"] = $"{BaseUrl}registration/{id}/index.json#page", ["count"] = leaves.Count, ["lower"] = versions[0].Version, ["upper"] = versions[^1].Version, ["items"] = leaves } },
            });
        }
        if (segments is ["flat", var flatId, "index.json"] && _packages.TryGetValue(flatId, out var flat))
            return Json(new { versions = flat.Select(v => v.Version) });
        if (segments is ["flat", var fileId, var version, _] && _packages.TryGetValue(fileId, out var files) && files.FirstOrDefault(v => v.Version == version) is { Path: not null } file)
            return (200, "application/octet-stream", File.ReadAllBytes(file.Path));
        return (404, "text/plain", "not found"u8.ToArray());
    }

    private static (int, string, byte[]) Json(object value) => (200, "application/json", JsonSerializer.SerializeToUtf8Bytes(value));

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(30));
        foreach (var reader in _packages.Values.SelectMany(v => v)) reader.Reader.Dispose();
    }
}
