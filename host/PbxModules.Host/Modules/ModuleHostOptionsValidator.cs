using Microsoft.Extensions.Options;

namespace PbxModules.Host.Modules;

/// <summary>Checks <see cref="ModuleHostOptions"/> at start-up, naming the offending key.</summary>
internal sealed class ModuleHostOptionsValidator : IValidateOptions<ModuleHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ModuleHostOptions options)
    {
        var errors = new List<string>();
        if (options.LifecycleTimeout <= TimeSpan.Zero) errors.Add($"ModuleHost:LifecycleTimeout must be positive (it is {options.LifecycleTimeout}).");
        if (options.DrainTimeout <= TimeSpan.Zero) errors.Add($"ModuleHost:DrainTimeout must be positive (it is {options.DrainTimeout}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
