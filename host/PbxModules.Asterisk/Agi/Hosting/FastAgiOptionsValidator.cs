using System.Net;
using Microsoft.Extensions.Options;

namespace PbxModules.Asterisk.Agi.Hosting;

/// <summary>Checks <see cref="FastAgiOptions"/> at start-up, naming the offending key.</summary>
internal sealed class FastAgiOptionsValidator : IValidateOptions<FastAgiOptions>
{
    public ValidateOptionsResult Validate(string? name, FastAgiOptions options)
    {
        var errors = new List<string>();
        if (options.Address is not ("localhost" or "*" or "any") && !IPAddress.TryParse(options.Address, out _))
            errors.Add($"Agi:Address '{options.Address}' is not an IP address (or localhost, *).");
        if (options.AllowedPeers is null || options.AllowedPeers.Length == 0)
            errors.Add("Agi:AllowedPeers is empty: no Asterisk could connect. List its address, e.g. 127.0.0.1/32.");
        else
        {
            foreach (var peer in options.AllowedPeers)
            {
                if (!FastAgiOptions.TryParsePeer(peer, out _))
                    errors.Add($"Agi:AllowedPeers entry '{peer}' is not a network in CIDR notation (e.g. 192.0.2.10/32, 10.0.0.0/8, ::1/128, or a single address; the host bits must be zero).");
            }
        }
        if (options.Port is < 0 or > 65535) errors.Add($"Agi:Port {options.Port} is not a TCP port.");
        if (options.EnvironmentTimeout <= TimeSpan.Zero) errors.Add("Agi:EnvironmentTimeout must be positive.");
        if (options.IdleTimeout <= TimeSpan.Zero) errors.Add("Agi:IdleTimeout must be positive.");
        if (options.MaxSessionDuration <= TimeSpan.Zero && options.MaxSessionDuration != Timeout.InfiniteTimeSpan)
            errors.Add("Agi:MaxSessionDuration must be positive (or -00:00:00.001 for no limit).");
        if (options.MaxLineLength < 256) errors.Add("Agi:MaxLineLength must be at least 256.");
        if (options.MaxReplyLength < options.MaxLineLength) errors.Add("Agi:MaxReplyLength must be at least Agi:MaxLineLength.");
        if (options.MaxEnvironmentVariables < 32) errors.Add("Agi:MaxEnvironmentVariables must be at least 32.");
        if (options.MaxConcurrentSessions < 1) errors.Add("Agi:MaxConcurrentSessions must be at least 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
