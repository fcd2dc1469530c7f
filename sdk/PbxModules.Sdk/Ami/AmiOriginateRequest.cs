using System.Globalization;

namespace PbxModules.Sdk.Ami;

/// <summary>
/// What to originate: a channel to call and where to connect it once answered, either a dialplan
/// location (<see cref="Context"/>, <see cref="Exten"/>, <see cref="Priority"/>) or an application
/// (<see cref="Application"/>, <see cref="Data"/>).
/// </summary>
/// <example><code>
/// var result = await ami.OriginateAsync(new AmiOriginateRequest("PJSIP/101")
/// {
///     Context = "from-internal", Exten = "200", CallerId = "\"Callback\" &lt;200&gt;",
/// });
/// if (result.IsAnswered) { ... }
/// </code></example>
public sealed class AmiOriginateRequest
{
    /// <summary>Creates a request for the given channel.</summary>
    /// <param name="channel">The channel to call, e.g. <c>PJSIP/101</c> or <c>Local/100@from-internal</c>.</param>
    public AmiOriginateRequest(string channel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        Channel = channel;
    }

    /// <summary>The channel to call.</summary>
    public string Channel { get; }

    /// <summary>Dialplan context to connect the answered channel to.</summary>
    public string? Context { get; init; }

    /// <summary>Extension in <see cref="Context"/>.</summary>
    public string? Exten { get; init; }

    /// <summary>Priority in <see cref="Context"/>; default 1.</summary>
    public int Priority { get; init; } = 1;

    /// <summary>Application to run on the answered channel instead of a dialplan location, e.g. <c>Playback</c>.</summary>
    public string? Application { get; init; }

    /// <summary>The application's argument string.</summary>
    public string? Data { get; init; }

    /// <summary>Caller id, e.g. <c>"Name" &lt;100&gt;</c>.</summary>
    public string? CallerId { get; init; }

    /// <summary>How long the channel may ring before the originate fails. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Channel variables to set (each becomes a <c>Variable: name=value</c> header).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Account code for the CDR.</summary>
    public string? Account { get; init; }

    /// <summary>The unique id to give the new channel (Asterisk's <c>ChannelId</c>), to find its events.</summary>
    public string? ChannelId { get; init; }

    /// <summary>Builds the AMI action (always <c>Async: true</c>: the outcome comes as <c>OriginateResponse</c>).</summary>
    public AmiAction ToAction()
    {
        var action = new AmiAction("Originate").With("Channel", Channel);
        if (Application is not null)
        {
            action.With("Application", Application);
            if (Data is not null) action.With("Data", Data);
        }
        else
        {
            if (Context is null || Exten is null)
                throw new InvalidOperationException("Originate needs either Application or both Context and Exten.");
            action.With("Context", Context).With("Exten", Exten).With("Priority", Priority.ToString(CultureInfo.InvariantCulture));
        }

        action.With("Async", "true");
        if (CallerId is not null) action.With("CallerID", CallerId);
        if (Account is not null) action.With("Account", Account);
        if (ChannelId is not null) action.With("ChannelId", ChannelId);
        foreach (var (name, value) in Variables) action.With("Variable", $"{name}={value}");
        action.With("Timeout", ((long)Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        action.CompletionEventName = "OriginateResponse";
        return action;
    }
}
