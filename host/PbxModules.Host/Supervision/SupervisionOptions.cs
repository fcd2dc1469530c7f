using Microsoft.Extensions.Options;

namespace PbxModules.Host.Supervision;

/// <summary>The <c>Supervision</c> configuration section: when the host quarantines a failing module, and for how long.</summary>
public sealed class SupervisionOptions
{
    public const string SectionName = "Supervision";

    /// <summary>
    /// How many failures of the module's own code (AGI handlers that throw or overrun their budget while
    /// Asterisk owed them nothing, AMI workers that crash) within <see cref="Window"/> quarantine a module. Default 10.
    /// </summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>The sliding window failures are counted in. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the first quarantine lasts before the module is tried again. Default one minute.</summary>
    public TimeSpan QuarantineCooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Each failed retry doubles the cool-down, up to this. Default 30 minutes.</summary>
    public TimeSpan MaxQuarantineCooldown { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many trial calls in a row must succeed after a cool-down for the quarantine to end. Default 3.</summary>
    public int ProbeSuccesses { get; set; } = 3;
}

/// <summary>Checks <see cref="SupervisionOptions"/> at start-up, naming the offending key.</summary>
internal sealed class SupervisionOptionsValidator : IValidateOptions<SupervisionOptions>
{
    public ValidateOptionsResult Validate(string? name, SupervisionOptions options)
    {
        var errors = new List<string>();
        if (options.MaxFailures < 1) errors.Add($"Supervision:MaxFailures must be at least 1 (it is {options.MaxFailures}).");
        if (options.Window <= TimeSpan.Zero) errors.Add($"Supervision:Window must be positive (it is {options.Window}).");
        if (options.QuarantineCooldown <= TimeSpan.Zero) errors.Add($"Supervision:QuarantineCooldown must be positive (it is {options.QuarantineCooldown}).");
        if (options.MaxQuarantineCooldown < options.QuarantineCooldown)
            errors.Add($"Supervision:MaxQuarantineCooldown ({options.MaxQuarantineCooldown}) must be at least Supervision:QuarantineCooldown ({options.QuarantineCooldown}).");
        if (options.ProbeSuccesses < 1) errors.Add($"Supervision:ProbeSuccesses must be at least 1 (it is {options.ProbeSuccesses}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
