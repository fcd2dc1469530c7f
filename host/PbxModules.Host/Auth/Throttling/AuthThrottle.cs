using Microsoft.Extensions.Options;

namespace PbxModules.Host.Auth.Throttling;

/// <summary>
/// Decides whether a login or an API key may be checked at all, and counts what failed: logins per
/// account and per client address, API keys per client address. A refused attempt is answered
/// before any password or key is looked at, so a lock is not an oracle.
/// </summary>
/// <remarks>
/// API keys are throttled per address only: a key is 256 random bits, so there is nothing to guess
/// per key, and locking a key id (which listings show) would hand anyone a way to lock a working key out.
/// </remarks>
internal sealed partial class AuthThrottle
{
    private readonly FailureTracker _accounts;
    private readonly FailureTracker _loginAddresses;
    private readonly FailureTracker _keyAddresses;
    private readonly ILogger<AuthThrottle> _logger;

    public AuthThrottle(IOptions<AuthThrottleOptions> options, TimeProvider time, ILogger<AuthThrottle> logger)
    {
        _accounts = new FailureTracker(options.Value, time);
        _loginAddresses = new FailureTracker(options.Value, time);
        _keyAddresses = new FailureTracker(options.Value, time);
        _logger = logger;
    }

    /// <summary>How long a login for <paramref name="account"/> from <paramref name="address"/> must wait, or null when it may be checked.</summary>
    public TimeSpan? LoginRetryAfter(string account, string address) => Longest(_accounts.RetryAfter(account), _loginAddresses.RetryAfter(address));

    /// <summary>Counts a failed login; returns how long further logins must wait when this failure started a lock.</summary>
    public TimeSpan? LoginFailed(string account, string address)
    {
        var byAccount = _accounts.RecordFailure(account);
        var byAddress = _loginAddresses.RecordFailure(address);
        if (byAccount is { } a) LogAccountLocked(_logger, account, a.Duration, a.Failures, address);
        if (byAddress is { } b) LogLoginAddressLocked(_logger, address, b.Duration, b.Failures);
        return Longest(byAccount?.Duration, byAddress?.Duration);
    }

    /// <summary>A successful login clears the account's and the address's failures.</summary>
    public void LoginSucceeded(string account, string address)
    {
        _accounts.Reset(account);
        _loginAddresses.Reset(address);
    }

    /// <summary>How long API keys from <paramref name="address"/> must wait, or null when they may be checked.</summary>
    public TimeSpan? ApiKeyRetryAfter(string address) => _keyAddresses.RetryAfter(address);

    /// <summary>Counts a refused API key; returns how long further keys must wait when this failure started a lock.</summary>
    public TimeSpan? ApiKeyFailed(string address)
    {
        if (_keyAddresses.RecordFailure(address) is not { } lockout) return null;
        LogApiKeyAddressLocked(_logger, address, lockout.Duration, lockout.Failures);
        return lockout.Duration;
    }

    /// <summary>A working API key clears the address's failures.</summary>
    public void ApiKeySucceeded(string address) => _keyAddresses.Reset(address);

    /// <summary>The value of a <c>Retry-After</c> header: whole seconds, rounded up, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan? Longest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logins for account {Account} are locked for {Lockout} after {Failures} failed attempts (the last from {Address}). Each further failure doubles the lock and a successful login clears it; if this is an attack, block the address at the firewall")]
    private static partial void LogAccountLocked(ILogger logger, string account, TimeSpan lockout, int failures, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logins from {Address} are locked for {Lockout} after {Failures} failed attempts. Each further failure doubles the lock and a successful login clears it; if this is an attack, block the address at the firewall")]
    private static partial void LogLoginAddressLocked(ILogger logger, string address, TimeSpan lockout, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API keys from {Address} are refused for {Lockout} after {Failures} unknown, revoked or expired keys. Check the key the client at that address uses; if this is an attack, block the address at the firewall")]
    private static partial void LogApiKeyAddressLocked(ILogger logger, string address, TimeSpan lockout, int failures);
}
