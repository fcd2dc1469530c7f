namespace PbxModules.Host.Agi;

/// <summary>Routing settings in the <c>Agi</c> configuration section (the listener's own are in <c>FastAgiOptions</c>).</summary>
public sealed class AgiRoutingOptions
{
    public const string SectionName = "Agi";

    /// <summary>A handler's default time budget (<c>[AgiHandler(TimeoutSeconds = …)]</c> overrides it). Default 30 s.</summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long disabling a module waits for its sessions in flight before cancelling them. Default 10 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
