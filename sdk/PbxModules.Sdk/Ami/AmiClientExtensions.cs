using System.Diagnostics;
using System.Globalization;

namespace PbxModules.Sdk.Ami;

/// <summary>
/// Typed helpers for the actions modules use most. Each builds the <see cref="AmiAction"/>, sends it
/// through <see cref="IAmiClient.SendAsync"/> and interprets the answer as Asterisk 20 writes it.
/// Helpers throw <see cref="AmiActionException"/> on an <c>Error</c> response; use
/// <see cref="IAmiClient.SendAsync"/> directly to inspect errors yourself.
/// </summary>
public static class AmiClientExtensions
{
    /// <summary>
    /// Originates a call asynchronously (<c>Async: true</c>) and waits for its outcome, the
    /// <c>OriginateResponse</c> event Asterisk sends with the action's <c>ActionID</c>.
    /// </summary>
    /// <returns>The outcome; check <see cref="AmiOriginateResult.IsAnswered"/>.</returns>
    /// <exception cref="AmiActionException">Asterisk refused to queue the originate.</exception>
    public static async Task<AmiOriginateResult> OriginateAsync(this IAmiClient client, AmiOriginateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var action = request.ToAction();
        // The outcome comes only after the callee answers or the ring time-out expires: wait that long plus a margin.
        action.Timeout = request.Timeout + TimeSpan.FromSeconds(15);
        var response = await client.SendAsync(action, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess || response.Completion is null) throw new AmiActionException(action.Name, response);
        return new AmiOriginateResult(response.Completion);
    }

    /// <summary>Hangs up a channel.</summary>
    /// <param name="client">The AMI client.</param>
    /// <param name="channel">The channel name (or a regular expression between slashes, as Asterisk allows).</param>
    /// <param name="cause">Optional hangup cause code (e.g. 16 normal clearing).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static Task<AmiResponse> HangupAsync(this IAmiClient client, string channel, int? cause = null, CancellationToken cancellationToken = default)
    {
        var action = new AmiAction("Hangup").With("Channel", channel);
        if (cause is { } c) action.With("Cause", c.ToString(CultureInfo.InvariantCulture));
        return client.SendCheckedAsync(action, cancellationToken);
    }

    /// <summary>Redirects (transfers) a channel, and optionally a second one, to a dialplan location.</summary>
    public static Task<AmiResponse> RedirectAsync(this IAmiClient client, string channel, string context, string exten, int priority = 1, string? extraChannel = null, CancellationToken cancellationToken = default)
    {
        var action = new AmiAction("Redirect")
            .With("Channel", channel)
            .With("Context", context)
            .With("Exten", exten)
            .With("Priority", priority.ToString(CultureInfo.InvariantCulture));
        if (extraChannel is not null)
        {
            action.With("ExtraChannel", extraChannel)
                .With("ExtraContext", context)
                .With("ExtraExten", exten)
                .With("ExtraPriority", priority.ToString(CultureInfo.InvariantCulture));
        }

        return client.SendCheckedAsync(action, cancellationToken);
    }

    /// <summary>Runs a CLI command and returns its output lines (Asterisk 20: one <c>Output</c> header per line).</summary>
    /// <exception cref="AmiActionException">Asterisk answered <c>Response: Error</c>, e.g. an unknown CLI command; the message carries its output.</exception>
    public static async Task<IReadOnlyList<string>> CommandAsync(this IAmiClient client, string command, CancellationToken cancellationToken = default)
    {
        var response = await client.SendCheckedAsync(new AmiAction("Command").With("Command", command), cancellationToken).ConfigureAwait(false);
        return response.Output;
    }

    /// <summary>Adds a member to a queue.</summary>
    public static Task<AmiResponse> QueueAddAsync(this IAmiClient client, string queue, string memberInterface, string? memberName = null, int? penalty = null, bool paused = false, string? stateInterface = null, CancellationToken cancellationToken = default)
    {
        var action = new AmiAction("QueueAdd").With("Queue", queue).With("Interface", memberInterface);
        if (memberName is not null) action.With("MemberName", memberName);
        if (penalty is { } p) action.With("Penalty", p.ToString(CultureInfo.InvariantCulture));
        if (paused) action.With("Paused", "true");
        if (stateInterface is not null) action.With("StateInterface", stateInterface);
        return client.SendCheckedAsync(action, cancellationToken);
    }

    /// <summary>
    /// Reads a variable, global or of a channel. Asterisk answers an unset variable with an empty
    /// value, so unset and empty read the same: an empty string.
    /// </summary>
    /// <param name="client">The AMI client.</param>
    /// <param name="variable">The variable or function, e.g. <c>BLACKLISTED</c> or <c>CALLERID(num)</c>.</param>
    /// <param name="channel">The channel; null for a global variable.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<string> GetVarAsync(this IAmiClient client, string variable, string? channel = null, CancellationToken cancellationToken = default)
    {
        var action = new AmiAction("Getvar");
        if (channel is not null) action.With("Channel", channel);
        action.With("Variable", variable);
        var response = await client.SendCheckedAsync(action, cancellationToken).ConfigureAwait(false);
        return response["Value"] ?? string.Empty;
    }

    /// <summary>Sets a variable, global or of a channel.</summary>
    public static async Task SetVarAsync(this IAmiClient client, string variable, string value, string? channel = null, CancellationToken cancellationToken = default)
    {
        var action = new AmiAction("Setvar");
        if (channel is not null) action.With("Channel", channel);
        action.With("Variable", variable).With("Value", value);
        await client.SendCheckedAsync(action, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <c>Ping</c> and returns the round-trip time.</summary>
    public static async Task<TimeSpan> PingAsync(this IAmiClient client, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await client.SendCheckedAsync(new AmiAction("Ping"), cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Lists the active channels (<c>CoreShowChannels</c>): one <c>CoreShowChannel</c> event per channel.</summary>
    public static async Task<IReadOnlyList<AmiEvent>> CoreShowChannelsAsync(this IAmiClient client, CancellationToken cancellationToken = default)
    {
        var response = await client.SendCheckedAsync(new AmiAction("CoreShowChannels") { ExpectsEventList = true }, cancellationToken).ConfigureAwait(false);
        return response.Events;
    }

    private static async Task<AmiResponse> SendCheckedAsync(this IAmiClient client, AmiAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.SendAsync(action, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess) throw new AmiActionException(action.Name, response);
        return response;
    }
}
