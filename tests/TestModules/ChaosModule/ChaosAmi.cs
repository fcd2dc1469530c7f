using PbxModules.Sdk.Ami;

namespace TestModules.Chaos;

/// <summary>Workers report what they see as <c>UserEvent</c> actions, which the simulated Asterisk records in order.</summary>
internal static class Report
{
    public static Task SendAsync(IAmiClient ami, string userEvent, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        var action = new AmiAction("UserEvent").With("UserEvent", userEvent);
        foreach (var (name, value) in headers) action.With(name, value);
        return ami.SendAsync(action, cancellationToken);
    }

    public static AmiSubscription UserEvent(string name, int capacity = 1024) => new()
    {
        EventNames = new HashSet<string>(["UserEvent"], StringComparer.OrdinalIgnoreCase),
        HeaderFilters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["UserEvent"] = name },
        QueueCapacity = capacity,
    };
}

/// <summary>Echoes each <c>UserEvent: ChaosSeq</c> as <c>ChaosSeen</c> with the same <c>Seq</c>.</summary>
public sealed class EchoWorker(IAmiClient ami) : IAmiWorker
{
    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = Report.UserEvent("ChaosSeq");

    /// <inheritdoc/>
    public Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
        => Report.SendAsync(ami, "ChaosConnected", cancellationToken, ("Worker", "Echo"), ("Reconnect", isReconnect ? "true" : "false"));

    /// <inheritdoc/>
    public async ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken)
        => await Report.SendAsync(ami, "ChaosSeen", cancellationToken, ("Seq", amiEvent["Seq"] ?? ""));

    /// <inheritdoc/>
    public Task OnStoppedAsync(CancellationToken cancellationToken)
        => Report.SendAsync(ami, "ChaosStopped", cancellationToken, ("Worker", "Echo"));
}

/// <summary>Throws on <c>UserEvent: ChaosFlaky</c> with <c>Data: throw</c>; echoes any other as <c>ChaosFlakySeen</c>.</summary>
public sealed class FlakyWorker(IAmiClient ami) : IAmiWorker
{
    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = Report.UserEvent("ChaosFlaky");

    /// <inheritdoc/>
    public Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
        => Report.SendAsync(ami, "ChaosConnected", cancellationToken, ("Worker", "Flaky"), ("Reconnect", isReconnect ? "true" : "false"));

    /// <inheritdoc/>
    public async ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken)
    {
        var data = amiEvent["Data"] ?? "";
        if (data == "throw") throw new InvalidOperationException("chaos: this worker throws when asked");
        await Report.SendAsync(ami, "ChaosFlakySeen", cancellationToken, ("Data", data));
    }

    /// <inheritdoc/>
    public Task OnStoppedAsync(CancellationToken cancellationToken)
        => Report.SendAsync(ami, "ChaosStopped", cancellationToken, ("Worker", "Flaky"));
}

/// <summary>
/// Gets the same events as <see cref="EchoWorker"/> into a queue of 8, reports the first as
/// <c>ChaosBlocked</c> and never finishes it (until stopped).
/// </summary>
public sealed class BlockingWorker(IAmiClient ami) : IAmiWorker
{
    /// <summary>The queue capacity, small so that it fills quickly.</summary>
    public const int Capacity = 8;

    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = Report.UserEvent("ChaosSeq", Capacity);

    /// <inheritdoc/>
    public Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
        => Report.SendAsync(ami, "ChaosConnected", cancellationToken, ("Worker", "Blocking"), ("Reconnect", isReconnect ? "true" : "false"));

    /// <inheritdoc/>
    public async ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken)
    {
        await Report.SendAsync(ami, "ChaosBlocked", cancellationToken, ("Seq", amiEvent["Seq"] ?? ""));
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    /// <inheritdoc/>
    public Task OnStoppedAsync(CancellationToken cancellationToken)
        => Report.SendAsync(ami, "ChaosStopped", cancellationToken, ("Worker", "Blocking"));
}

/// <summary>
/// Cannot be created while the file <c>unstartable-worker</c> exists in the module's data folder (so a
/// test can make enabling the module fail after the other workers have started).
/// </summary>
public sealed class UnstartableWorker : IAmiWorker
{
    /// <summary>The marker file's name.</summary>
    public const string MarkerFile = "unstartable-worker";

    /// <summary>Throws when the marker file exists.</summary>
    public UnstartableWorker(PbxModules.Sdk.Modules.IModuleContext context)
    {
        if (File.Exists(Path.Combine(context.DataDirectory, MarkerFile)))
            throw new InvalidOperationException("chaos: this worker cannot start");
    }

    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = AmiSubscription.ForEvents("ChaosNever");

    /// <inheritdoc/>
    public ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
