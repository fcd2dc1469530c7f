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
        if (options.FaultInjection.KillAtStep is { Length: > 0 } kill && !IsStep(kill))
            errors.Add($"ModuleHost:FaultInjection:KillAtStep must be '<install|upgrade>:<step>' with a step of {string.Join(", ", Enum.GetValues<Journaling.TransitionStep>().Select(Journaling.TransitionStepNames.NameOf))} (it is '{kill}').");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsStep(string text)
    {
        var colon = text.IndexOf(':');
        return colon > 0
            && text[..colon] is Journaling.TransitionStepNames.Install or Journaling.TransitionStepNames.Upgrade
            && Journaling.TransitionStepNames.Parse(text[(colon + 1)..]) is not null;
    }
}
