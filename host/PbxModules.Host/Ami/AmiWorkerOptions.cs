namespace PbxModules.Host.Ami;

/// <summary>The <c>AmiWorkers</c> configuration section: how crashed module workers are restarted.</summary>
public sealed class AmiWorkerOptions
{
    public const string SectionName = "AmiWorkers";

    /// <summary>The first restart delay after a worker throws; doubled each time, up to <see cref="MaxRestartDelay"/>. Default 1 s.</summary>
    public TimeSpan MinRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest restart delay. Default 1 min.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromMinutes(1);
}
