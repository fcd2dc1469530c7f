using Microsoft.Extensions.Options;

namespace PbxModules.Host.Packages;

/// <summary>Checks <see cref="ModulePackageOptions"/> at start-up, naming the offending key: a mistyped fingerprint would otherwise refuse every package of that signer.</summary>
internal sealed class ModulePackageOptionsValidator : IValidateOptions<ModulePackageOptions>
{
    public ValidateOptionsResult Validate(string? name, ModulePackageOptions options)
    {
        const string section = ModulePackageOptions.SectionName;
        var errors = new List<string>();
        for (var i = 0; i < options.TrustedSigners.Count; i++)
        {
            if (!SignerFingerprint.IsValid(options.TrustedSigners[i]))
                errors.Add($"{section}:TrustedSigners:{i} ('{options.TrustedSigners[i]}') is not a SHA-256 certificate fingerprint: it must be {SignerFingerprint.HexLength} hex digits (':' and spaces are ignored), as the refusal of an unknown signer prints it.");
        }
        if (options.MaxPackageBytes <= 0) errors.Add($"{section}:MaxPackageBytes must be positive (it is {options.MaxPackageBytes}).");
        if (options.MaxExpandedBytes <= 0) errors.Add($"{section}:MaxExpandedBytes must be positive (it is {options.MaxExpandedBytes}).");
        if (options.MaxEntries <= 0) errors.Add($"{section}:MaxEntries must be positive (it is {options.MaxEntries}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
