using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PbxModules.Asterisk.Tests.Ami.Http;

/// <summary>
/// Asterisk's HTTP manager (AJAM) as the ajam fixtures show it, on Kestrel over loopback: <c>rawman</c>
/// with the <c>mansession_id</c> cookie (<c>Max-Age=60</c>, <c>Permission denied</c> without a session),
/// <c>arawman</c> with HTTP Digest (401, <c>realm="asterisk"</c>, <c>qop="auth"</c>, MD5), errors as HTTP 200
/// with an AMI body, <c>waitevent</c> long-polling, 404 elsewhere.
/// </summary>
internal sealed class FakeAjamServer : IAsyncDisposable
{
    private const string Realm = "asterisk";
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, bool> _nonces = new();
    private WebApplication? _app;

    public string Username { get; set; } = "admin";

    public string Secret { get; set; } = "admin-secret";

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>
    /// When true, an <c>Originate</c>'s POST is answered only after its <c>OriginateResponse</c> event has
    /// gone out in a <c>waitevent</c> reply and the client has come back for the next poll (so it has
    /// parsed that reply): the event strictly before the response, the order Asterisk can produce.
    /// </summary>
    public bool EventsBeforeResponses { get; set; }

    public int Logins => Requests.Count(r => string.Equals(r.Action, "login", StringComparison.OrdinalIgnoreCase) && r.Succeeded);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Map("/asterisk/rawman", context => HandleAsync(context, digest: false));
        app.Map("/asterisk/arawman", context => HandleAsync(context, digest: true));
        app.MapFallback(context =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/asterisk/");
        _app = app;
    }

    /// <summary>Forgets every session, as Asterisk does when the cookie's Max-Age runs out.</summary>
    public void ExpireSessions() => _sessions.Clear();

    /// <summary>Queues an event for every logged-in session's next <c>waitevent</c>.</summary>
    public void PushEvent(params (string Name, string Value)[] headers)
    {
        var text = Frame(headers);
        foreach (var session in _sessions.Values)
            if (session.LoggedIn) session.Push(text);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context, bool digest)
    {
        var parameters = await ReadParametersAsync(context.Request);
        string? Get(string name) => parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        var action = Get("action") ?? string.Empty;
        var actionId = Get("actionid");
        var record = new RecordedRequest(context.Request.Method, context.Request.Path, action, parameters,
            context.Request.Headers.Cookie.ToString(), context.Request.Headers.Authorization.ToString(), context.Request.QueryString.Value ?? string.Empty);
        Requests.Enqueue(record);

        Session session;
        if (digest)
        {
            if (!CheckDigest(context.Request))
            {
                await ChallengeAsync(context.Response);
                return;
            }

            session = _sessions.GetOrAdd("digest:" + Username, _ => new Session { LoggedIn = true });
        }
        else
        {
            var id = context.Request.Cookies["mansession_id"]?.Trim('"');
            if (id is null || !_sessions.TryGetValue(id, out session!))
            {
                id = RandomNumberGenerator.GetHexString(8, lowercase: true);
                session = _sessions.GetOrAdd(id, _ => new Session());
            }

            // Asterisk writes this header verbatim (quoted value, Version=1); a cookie library must cope.
            context.Response.Headers.Append("Set-Cookie", $"mansession_id=\"{id}\"; Version=1; Max-Age=60");
        }

        context.Response.ContentType = "text/plain";
        context.Response.Headers.Append("Pragma", "SuppressEvents");
        string body;
        switch (action.ToLowerInvariant())
        {
            case "login":
                if (Get("username") == Username && Get("secret") == Secret)
                {
                    session.LoggedIn = true;
                    record.Succeeded = true;
                    body = Response("Success", actionId, ("Message", "Authentication accepted"));
                }
                else
                {
                    body = Response("Error", actionId, ("Message", "Authentication failed"));
                }

                break;
            case var _ when !session.LoggedIn:
                body = Response("Error", actionId, ("Message", "Permission denied"));
                break;
            case "ping":
                body = Response("Success", actionId, ("Ping", "Pong"), ("Timestamp", "1795390012.376652"));
                break;
            case "command":
                body = Get("command") == "dialplan reload"
                    ? Response("Success", actionId, ("Message", "Command output follows"), ("Output", "Dialplan reloaded."))
                    : Response("Error", actionId, ("Message", "Command output follows"), ("Output", $"No such command '{Get("command")}'"));
                break;
            case "coreshowchannels":
                body = Response("Success", actionId, ("EventList", "start"), ("Message", "Channels will follow"))
                    + Frame([("Event", "CoreShowChannelsComplete"), ("ActionID", actionId ?? string.Empty), ("EventList", "Complete"), ("ListItems", "0")]);
                break;
            case "originate":
                body = Response("Success", actionId, ("Message", "Originate successfully queued"));
                PushEvent(("Event", "OriginateResponse"), ("Privilege", "call,all"), ("ActionID", actionId ?? string.Empty), ("Response", "Success"),
                    ("Channel", Get("channel") + "-00000000;1"), ("Reason", "4"), ("Uniqueid", "1795389869.0"));
                if (EventsBeforeResponses) await session.WaitUntilPolledPastAsync(session.Pushed, context.RequestAborted);
                break;
            case "waitevent":
                body = await WaitEventAsync(session, actionId, int.Parse(Get("timeout") ?? "30", System.Globalization.CultureInfo.InvariantCulture), context.RequestAborted);
                break;
            case "logoff":
                session.LoggedIn = false;
                body = Response("Goodbye", actionId, ("Message", "Thanks for all the fish."));
                break;
            default:
                body = Response("Error", actionId, ("Message", $"Invalid/unknown command: {action}. Use Action: ListCommands to show available commands."));
                break;
        }

        // Asterisk ends the body with an extra blank line.
        await context.Response.WriteAsync(body + "\r\n");
    }

    private static async Task<string> WaitEventAsync(Session session, string? actionId, int timeoutSeconds, CancellationToken aborted)
    {
        var sb = new StringBuilder(Response("Success", actionId, ("Message", "Waiting for Event completed.")));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        cts.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            session.PollStarted();
            var first = await session.Events.Reader.ReadAsync(cts.Token);
            sb.Append(first);
            var delivered = 1;
            while (session.Events.Reader.TryRead(out var more))
            {
                sb.Append(more);
                delivered++;
            }

            session.Delivered(delivered);
        }
        catch (OperationCanceledException)
        {
            // Nothing happened within the timeout: an empty wait, as Asterisk answers.
        }

        sb.Append(actionId is null ? Frame([("Event", "WaitEventComplete")]) : Frame([("Event", "WaitEventComplete"), ("ActionID", actionId)]));
        return sb.ToString();
    }

    private static async Task<List<KeyValuePair<string, string>>> ReadParametersAsync(HttpRequest request)
    {
        var list = request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty))).ToList();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            list.AddRange(form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))));
        }

        return list;
    }

    private async Task ChallengeAsync(HttpResponse response)
    {
        var nonce = RandomNumberGenerator.GetHexString(8, lowercase: true);
        _nonces[nonce] = true;
        response.StatusCode = 401;
        response.Headers.Append("WWW-Authenticate", $"Digest algorithm=MD5, realm=\"{Realm}\", nonce=\"{nonce}\", qop=\"auth\", opaque=\"{nonce}\"");
        response.ContentType = "text/html";
        await response.WriteAsync("<html><head><title>401 Unauthorized</title></head><body><h1>Unauthorized</h1></body></html>");
    }

    private bool CheckDigest(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase)) return false;
        var fields = ParseDigest(header["Digest ".Length..]);
        string F(string name) => fields.TryGetValue(name, out var v) ? v : string.Empty;
        if (F("username") != Username || F("realm") != Realm || !_nonces.ContainsKey(F("nonce")) || F("qop") != "auth") return false;
        var ha1 = Md5($"{Username}:{Realm}:{Secret}");
        var ha2 = Md5($"{request.Method}:{F("uri")}");
        var expected = Md5($"{ha1}:{F("nonce")}:{F("nc")}:{F("cnonce")}:auth:{ha2}");
        return string.Equals(expected, F("response"), StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, string> ParseDigest(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == ',')) i++;
            var eq = text.IndexOf('=', i);
            if (eq < 0) break;
            var key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                value = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', i);
                if (end < 0) end = text.Length;
                value = text[i..end].Trim();
                i = end;
            }

            result[key] = value;
        }

        return result;
    }

#pragma warning disable CA5351 // HTTP Digest as Asterisk does it is MD5.
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static string Response(string response, string? actionId, params (string Name, string Value)[] headers)
    {
        List<(string, string)> all = [("Response", response)];
        if (actionId is not null) all.Add(("ActionID", actionId));
        all.AddRange(headers);
        return Frame(all);
    }

    private static string Frame(IEnumerable<(string Name, string Value)> headers)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in headers) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        return sb.Append("\r\n").ToString();
    }

    private sealed class Session
    {
        private readonly Lock _gate = new();
        private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
        private long _pushed;
        private long _delivered;

        public volatile bool LoggedIn;

        public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();

        public long Pushed => Interlocked.Read(ref _pushed);

        public void Push(string text)
        {
            Interlocked.Increment(ref _pushed);
            Events.Writer.TryWrite(text);
        }

        public void Delivered(int count)
        {
            lock (_gate) _delivered += count;
        }

        /// <summary>
        /// A new poll began: the client parsed every reply before it, so every event delivered so far
        /// has been handed to the client's frame handler.
        /// </summary>
        public void PollStarted()
        {
            lock (_gate)
            {
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Target > _delivered) continue;
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }

        /// <summary>Completes at the first poll that starts after the first <paramref name="events"/> events were delivered.</summary>
        public Task WaitUntilPolledPastAsync(long events, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate) _waiters.Add((events, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }
}

internal sealed record RecordedRequest(string Method, string Path, string Action, List<KeyValuePair<string, string>> Parameters, string Cookie, string Authorization, string Query)
{
    public bool Succeeded { get; set; }
}
