namespace PbxModules.Host.Supervision;

/// <summary>The <c>Supervision</c> configuration section: when the host gives up on a failing module.</summary>
public sealed class SupervisionOptions
{
    public const string SectionName = "Supervision";

    /// <summary>How many failures (handler exceptions or time-outs, worker crashes) within <see cref="Window"/> disable a module. Default 10.</summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>The sliding window failures are counted in. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
