using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.Cli.Daemon;

/// <summary>
/// The daemon's REST API as the CLI uses it: one request at a time over the Unix socket or TCP, each
/// answer read as the API's envelope, and every way it can fail turned into a <see cref="CliException"/>
/// whose message says what to do.
/// </summary>
internal sealed class DaemonClient : IDisposable
{
    /// <summary>The API's root.</summary>
    public const string ApiBase = "/pbxcore/api/v3/";

    // The most a listing page holds (the API's own limit).
    private const int PageSize = 100;

    // No answer of the API the CLI reads is larger; a bigger one is not the daemon talking.
    private const long MaxAnswerBytes = 64L * 1024 * 1024;

    private readonly HttpClient _http;

    public DaemonClient(DaemonTarget target, TimeSpan timeout)
    {
        Target = target;
        var handler = target.SocketPath is { } path ? UnixSocketHttp.CreateHandler(path) : new SocketsHttpHandler();
        handler.AllowAutoRedirect = false;
        handler.UseProxy = false;
        _http = new HttpClient(handler)
        {
            BaseAddress = target.Url ?? new Uri("http://localhost"),
            Timeout = timeout,
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
        if (target.ApiKey is { } key) _http.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    public DaemonTarget Target { get; }

    /// <summary>Sends a request to the API (<paramref name="path"/> relative to <see cref="ApiBase"/>) and returns a successful answer; throws for any other.</summary>
    public async Task<ApiReply> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, ApiBase + path) { Content = content };
        var (status, body) = await ExchangeAsync(request, cancellationToken);
        var envelope = Parse(body, status);
        var reply = new ApiReply(status, envelope);
        if ((int)status is >= 200 and < 300) return reply;
        throw Refusal(reply);
    }

    /// <summary>Every record of a listing, page after page.</summary>
    public async Task<List<JsonElement>> ListAllAsync(string path, CancellationToken cancellationToken)
    {
        var all = new List<JsonElement>();
        for (var offset = 0; ; offset += PageSize)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var reply = await SendAsync(HttpMethod.Get, $"{path}{separator}limit={PageSize}&offset={offset}", null, cancellationToken);
            if (reply.Data.ValueKind != JsonValueKind.Array) throw new CliException($"The daemon's answer to {path} is not a list; is {Target.Describe()} a pbx-modules daemon of this version?");
            var page = reply.Data.EnumerateArray().ToList();
            all.AddRange(page);
            if (!reply.HasMore || page.Count == 0) return all;
        }
    }

    /// <summary><c>GET /healthz</c>: the components' report (detailed for an administrator), whatever the overall status.</summary>
    public async Task<JsonElement> HealthAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        var (status, body) = await ExchangeAsync(request, cancellationToken);
        // 503 is an Unhealthy report, still a report.
        if (status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
            throw new CliException($"/healthz answered HTTP {(int)status}; is {Target.Describe()} a pbx-modules daemon?");
        return Parse(body, status);
    }

    public void Dispose() => _http.Dispose();

    private async Task<(HttpStatusCode Status, string Body)> ExchangeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Target.SocketPath is { } path && !File.Exists(path))
            throw new CliException($"Is pbx-modules running? The socket {path} was not found. Start the daemon (systemctl start pbx-modules), or pass --socket with its Rest:UnixSocket (or set {CliEnvironment.SocketVariable}), or --url for a daemon over TCP.", ExitCodes.Unreachable);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException socket)
        {
            throw Unreachable(socket);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"The request to {Target.Describe()} failed: {ex.Message}. Is pbx-modules running there?", ExitCodes.Unreachable);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"{Target.Describe()} did not answer within {_http.Timeout.TotalSeconds:0} s; the daemon may be overloaded or stuck (see its log: journalctl -u pbx-modules). Pass --timeout to wait longer.", ExitCodes.Unreachable);
        }
    }

    private CliException Unreachable(SocketException socket) => (Target.SocketPath, socket.SocketErrorCode) switch
    {
        ({ } path, SocketError.AccessDenied) => new CliException($"You may not connect to {path} (mode 0660): run as the daemon's user or a member of its group (e.g. sudo -u asterisk pbx-modules …), or use --url with {CliEnvironment.ApiKeyVariable}.", ExitCodes.Unreachable),
        ({ } path, _) => new CliException($"Is pbx-modules running? Nothing answers on the socket {path} ({socket.Message}); a daemon that was killed leaves its socket behind. Start it (systemctl start pbx-modules), or pass --url.", ExitCodes.Unreachable),
        _ => new CliException($"Is pbx-modules running? {Target.Url} cannot be reached ({socket.Message}). Start it, or check --url against its Rest:Url.", ExitCodes.Unreachable),
    };

    private JsonElement Parse(string body, HttpStatusCode status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            var excerpt = body.Length > 200 ? body[..200] + "…" : body;
            throw new CliException($"{Target.Describe()} answered HTTP {(int)status} with something that is not the API's JSON ('{excerpt}'); is it a pbx-modules daemon?");
        }
    }

    private CliException Refusal(ApiReply reply)
    {
        var errors = reply.Messages("error");
        var said = errors.Count > 0 ? string.Join(" ", errors) : $"HTTP {(int)reply.Status}.";
        // A refused install, upgrade or uninstall names its problem in data.code (e.g. UnknownSigner): scripts
        // and docs/admin.md's table of refusals go by it.
        if (reply.Data.ValueKind == JsonValueKind.Object && reply.Data.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
            said += $" (code {code.GetString()}, HTTP {(int)reply.Status})";
        return reply.Status switch
        {
            HttpStatusCode.Unauthorized when Target.SocketPath is not null
                => new CliException($"The daemon refused a caller on its socket: {said} Is {Target.SocketPath} the Rest:UnixSocket of this daemon?", ExitCodes.Unauthorized),
            HttpStatusCode.Unauthorized when Target.ApiKey is null
                => new CliException($"The daemon at {Target.Url} needs an API key: set {CliEnvironment.ApiKeyVariable} (create one on the daemon's host with `pbx-modules apikey create NAME`).", ExitCodes.Unauthorized),
            HttpStatusCode.Unauthorized
                => new CliException($"The daemon at {Target.Url} refused the API key in {CliEnvironment.ApiKeyVariable} ({said}) Set {CliEnvironment.ApiKeyVariable} to a key that is valid and not revoked (`pbx-modules apikey list`).", ExitCodes.Unauthorized),
            HttpStatusCode.Forbidden
                => new CliException($"{said} Use an API key that holds this permission, or run the command on the daemon's host over its socket.", ExitCodes.Unauthorized),
            _ => new CliException(said),
        };
    }
}
