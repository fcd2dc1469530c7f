using Microsoft.Extensions.Options;

namespace PbxModules.Host.Configuration;

/// <summary>
/// Outside Development the modules folder must exist: a daemon that silently creates an empty one
/// starts with no modules (no blacklist), which is worse than not starting. Development creates it.
/// </summary>
internal sealed class PathsValidator(IHostEnvironment environment) : IValidateOptions<PathsOptions>
{
    public ValidateOptionsResult Validate(string? name, PathsOptions options)
    {
        if (environment.IsDevelopment()) return ValidateOptionsResult.Success;
        string modules;
        try
        {
            modules = options.ModulesFullPath;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Paths:Modules is not a usable path: {ex.Message}");
        }
        if (Directory.Exists(modules)) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            $"The modules folder {modules} does not exist (Paths:Modules = '{options.Modules}', relative to the working directory {Environment.CurrentDirectory}; environment {environment.EnvironmentName}). " +
            "Create it, or set Paths:Modules to the folder that holds the installed modules (from a checkout: the daemon's build output, e.g. --Paths:Modules={AppBase}/modules).");
    }
}
