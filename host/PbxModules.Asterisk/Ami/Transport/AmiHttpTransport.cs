using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami.Transport;

/// <summary>
/// AMI over Asterisk's HTTP server (AJAM). Each action is one POST whose body is the AMI answer
/// (errors too come as HTTP 200 with an AMI body). Two ways to authenticate:
/// <list type="bullet">
/// <item><c>rawman</c>: <c>action=login</c> sets the <c>mansession_id</c> cookie (<c>Max-Age=60</c>; every
/// request renews it, the keepalive Ping and the event poll keep it alive). When it has expired anyway
/// Asterisk answers <c>Permission denied</c>: log in again and retry once.</item>
/// <item><c>arawman</c>: HTTP Digest (MD5, <c>qop=auth</c>, <c>realm="asterisk"</c>) on every request,
/// done by <see cref="SocketsHttpHandler"/>.</item>
/// </list>
/// Events come by <c>waitevent</c> long-polling. POST keeps the secret out of URLs (and so out of access logs).
/// </summary>
internal sealed class AmiHttpTransport : IAmiTransport
{
    private static readonly TimeSpan s_pollMargin = TimeSpan.FromSeconds(10);

    private readonly AmiClientOptions _options;
    private readonly ILogger _logger;
    private readonly Action<AmiMessage> _onFrame;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly bool _cookieAuth;
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private Task _eventLoop = Task.CompletedTask;
    private int _loginGeneration;
    private volatile bool _loggedOff;

    public AmiHttpTransport(AmiClientOptions options, ILogger logger, Action<AmiMessage> onFrame)
    {
        _options = options;
        _logger = logger;
        _onFrame = onFrame;
        _cookieAuth = options.HttpAuthentication == AmiHttpAuthentication.Cookie;
        var baseUrl = options.HttpUrl.AbsoluteUri.EndsWith('/') ? options.HttpUrl : new Uri(options.HttpUrl.AbsoluteUri + "/");
        _endpoint = new Uri(baseUrl, _cookieAuth ? "rawman" : "arawman");

        var handler = new SocketsHttpHandler
        {
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (!_cookieAuth)
        {
            // Digest only: never let the handler fall back to Basic and send the secret in clear.
            handler.Credentials = new CredentialCache { { baseUrl, "Digest", new NetworkCredential(options.Username, options.Secret) } };
            handler.PreAuthenticate = true;
        }

        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string ServerDescription { get; private set; } = "HTTP";

    public Task<Exception> Closed => _closed.Task;

    public Task ConnectAsync(CancellationToken cancellationToken) =>
        // HTTP connects per request; the login (or first Ping) is the real connection test.
        Task.CompletedTask;

    public async Task AuthenticateAsync(AmiActionSender send, CancellationToken cancellationToken)
    {
        if (_cookieAuth)
        {
            await LoginAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Digest authenticates every request: a Ping proves the credentials (a refusal is a 401).
        var ping = await send(new AmiAction("Ping") { Timeout = _options.ConnectTimeout }, cancellationToken).ConfigureAwait(false);
        if (!ping.IsSuccess) throw new AmiAuthenticationException(ping.Message ?? ping.Response);
    }

    public async Task SendAsync(AmiAction action, string actionId, CancellationToken cancellationToken)
    {
        // After our own Logoff the session is gone on purpose: a poll answered "Permission denied" must end, not log in again.
        if (string.Equals(action.Name, "Logoff", StringComparison.OrdinalIgnoreCase)) _loggedOff = true;
        var form = BuildForm(action, actionId);
        var timeout = action.Timeout ?? _options.ActionTimeout;
        var generation = Volatile.Read(ref _loginGeneration);
        var frames = await PostAsync(form, timeout, cancellationToken).ConfigureAwait(false);
        if (_cookieAuth && IsPermissionDenied(frames))
        {
            AmiLog.HttpSessionExpired(_logger);
            await ReloginAsync(generation, cancellationToken).ConfigureAwait(false);
            frames = await PostAsync(form, timeout, cancellationToken).ConfigureAwait(false);
        }

        foreach (var frame in frames)
        {
            // Asterisk echoes ActionID over HTTP too; should a response come without it, it is still ours.
            if (frame is AmiResponse response && response.ActionId is null)
                _onFrame(new AmiResponse([.. response.Headers, new("ActionID", actionId)]));
            else
                _onFrame(frame);
        }
    }

    public void StartEvents() => _eventLoop = Task.Run(PollEventsAsync, CancellationToken.None);

    public void Abort(Exception reason)
    {
        if (_closed.TrySetResult(reason)) _closing.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        Abort(new ObjectDisposedException(nameof(AmiHttpTransport)));
        await _eventLoop.ConfigureAwait(false);
        _http.Dispose();
        _closing.Dispose();
        _loginLock.Dispose();
    }

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("action", "login"),
            new("username", _options.Username),
            new("secret", _options.Secret),
        ];
        if (_options.EventMask is not null) form.Add(new("events", _options.EventMask));
        var frames = await PostAsync(form, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        var response = frames.OfType<AmiResponse>().FirstOrDefault()
            ?? throw new AmiProtocolException($"{_endpoint} answered the login with no AMI response.");
        if (!response.IsSuccess) throw new AmiAuthenticationException(response.Message ?? response.Response);
        Interlocked.Increment(ref _loginGeneration);
    }

    /// <summary>Logs in again unless another request already did since <paramref name="seenGeneration"/>.</summary>
    private async Task ReloginAsync(int seenGeneration, CancellationToken cancellationToken)
    {
        await _loginLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _loginGeneration) == seenGeneration) await LoginAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmiAuthenticationException ex)
        {
            // The credentials stopped working: this session is over, the client reconnects with backoff.
            Abort(ex);
            throw new IOException($"AMI HTTP re-login refused: {ex.Message}", ex);
        }
        finally
        {
            _loginLock.Release();
        }
    }

    private async Task PollEventsAsync()
    {
        var seconds = Math.Max(1, (int)_options.HttpEventWaitTimeout.TotalSeconds);
        List<KeyValuePair<string, string>> form = [new("action", "waitevent"), new("timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                var generation = Volatile.Read(ref _loginGeneration);
                var frames = await PostAsync(form, TimeSpan.FromSeconds(seconds) + s_pollMargin, _closing.Token).ConfigureAwait(false);
                if (_loggedOff) break;
                if (_cookieAuth && IsPermissionDenied(frames))
                {
                    AmiLog.HttpSessionExpired(_logger);
                    await ReloginAsync(generation, _closing.Token).ConfigureAwait(false);
                    continue;
                }

                // The body is "Response: Success" (waiting completed), the events, then "Event: WaitEventComplete".
                foreach (var frame in frames)
                    if (frame is AmiEvent amiEvent && !string.Equals(amiEvent.Name, "WaitEventComplete", StringComparison.OrdinalIgnoreCase))
                        _onFrame(amiEvent);
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                AmiLog.HttpEventPollFailed(_logger, ex.Message);
                Abort(ex);
                break;
            }
        }
    }

    private async Task<List<AmiMessage>> PostAsync(List<KeyValuePair<string, string>> form, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        cts.CancelAfter(timeout);
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await _http.PostAsync(_endpoint, content, cts.Token).ConfigureAwait(false);
            if (response.Headers.Server.Count > 0) ServerDescription = response.Headers.Server.ToString();
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new AmiAuthenticationException($"HTTP Digest authentication refused by {_endpoint} (401)");
            if (!response.IsSuccessStatusCode)
                throw new AmiProtocolException($"{_endpoint} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}: check Ami:HttpUrl and that the manager's HTTP access (webenabled) is on.");
            var body = await response.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
            return ParseBody(body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            throw new TimeoutException($"{_endpoint} did not answer within {timeout}.");
        }
        catch (HttpRequestException ex)
        {
            // The server is unreachable: this session is over; the client reconnects with backoff.
            Abort(ex);
            throw;
        }
        catch (AmiProtocolException ex)
        {
            Abort(ex);
            throw;
        }
    }

    private List<AmiMessage> ParseBody(byte[] body)
    {
        var frames = new List<AmiMessage>();
        var parser = new AmiFrameParser(expectBanner: false, _options.MaxFrameBytes);
        Parse(parser, new ReadOnlySequence<byte>(body), frames);
        // A body that ends without the closing blank line still holds a whole last frame.
        Parse(parser, new ReadOnlySequence<byte>("\r\n\r\n"u8.ToArray()), frames);
        return frames;
    }

    private void Parse(AmiFrameParser parser, ReadOnlySequence<byte> buffer, List<AmiMessage> frames)
    {
        while (true)
        {
            var result = parser.TryRead(ref buffer, out var message, out var text);
            switch (result)
            {
                case AmiParseResult.NeedMoreData:
                    return;
                case AmiParseResult.Frame:
                    frames.Add(message!);
                    break;
                case AmiParseResult.MalformedLine:
                    AmiLog.MalformedLine(_logger, text!);
                    break;
                case AmiParseResult.OversizedFrame:
                    AmiLog.OversizedFrame(_logger, parser.MaxFrameBytes);
                    break;
            }
        }
    }

    private static bool IsPermissionDenied(List<AmiMessage> frames)
        => frames.Count > 0 && frames[0] is AmiResponse { IsSuccess: false } response
            && string.Equals(response.Message, "Permission denied", StringComparison.OrdinalIgnoreCase);

    private static List<KeyValuePair<string, string>> BuildForm(AmiAction action, string actionId)
    {
        var form = new List<KeyValuePair<string, string>>(action.Headers.Count + 2)
        {
            new("action", action.Name),
            new("actionid", actionId),
        };
        form.AddRange(action.Headers);
        return form;
    }
}
