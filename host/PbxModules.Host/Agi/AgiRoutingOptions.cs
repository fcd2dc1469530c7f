using Microsoft.Extensions.Options;

namespace PbxModules.Host.Agi;

/// <summary>Routing settings in the <c>Agi</c> configuration section (the listener's own are in <c>FastAgiOptions</c>).</summary>
public sealed class AgiRoutingOptions
{
    public const string SectionName = "Agi";

    /// <summary>A handler's default time budget (<c>[AgiHandler(TimeoutSeconds = …)]</c> overrides it). Default 30 s.</summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Budgets set by the administrator for single handlers, <c>Agi:HandlerTimeouts:&lt;module-id&gt;:&lt;handler&gt;</c>
    /// (e.g. <c>Agi:HandlerTimeouts:module-black-list:check = 00:00:10</c>); they win over the handler's attribute.
    /// </summary>
    public Dictionary<string, Dictionary<string, TimeSpan>> HandlerTimeouts { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Checks <see cref="AgiRoutingOptions"/> at start-up, naming the offending key.</summary>
internal sealed class AgiRoutingOptionsValidator : IValidateOptions<AgiRoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, AgiRoutingOptions options)
    {
        var errors = new List<string>();
        if (options.HandlerTimeout <= TimeSpan.Zero) errors.Add($"Agi:HandlerTimeout must be positive (it is {options.HandlerTimeout}).");
        foreach (var (module, handlers) in options.HandlerTimeouts)
        {
            foreach (var (handler, timeout) in handlers)
            {
                if (timeout <= TimeSpan.Zero) errors.Add($"Agi:HandlerTimeouts:{module}:{handler} must be positive (it is {timeout}).");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
