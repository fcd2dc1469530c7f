using Microsoft.Extensions.Options;

namespace PbxModules.Host.Dialplan;

/// <summary>Checks <see cref="AgiDialplanOptions"/> at start-up: a dialplan that names an address Asterisk cannot dial fails every hook.</summary>
internal sealed class AgiDialplanOptionsValidator : IValidateOptions<AgiDialplanOptions>
{
    public ValidateOptionsResult Validate(string? name, AgiDialplanOptions options)
        => options.DialplanAddress is { Length: > 0 } address && AgiDialplanAddress.Problem(address) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
