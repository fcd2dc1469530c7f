using System.ComponentModel.DataAnnotations;

namespace PbxModules.Host.Auth.Throttling;

/// <summary>
/// The <c>Auth</c> section: how failed logins and failed API keys are throttled. After
/// <see cref="MaxFailures"/> failures of one account (or from one address) further attempts are refused
/// with 429 for <see cref="FirstLockout"/>, doubling with each failure after that up to
/// <see cref="MaxLockout"/>; a success clears the count. On top of that, the auth endpoints take at
/// most <see cref="AddressPermitLimit"/> requests per <see cref="AddressWindow"/> from one address.
/// </summary>
public sealed class AuthThrottleOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>Failed attempts (per account, per address) that start the first lock.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>How long the first lock lasts; each further failure doubles it.</summary>
    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest lock.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten once this long has passed since the last one (and no lock is running).</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many accounts and how many addresses are tracked at most (each table); bounds memory under a spray of names or addresses.</summary>
    public int MaxTrackedEntries { get; set; } = 10_000;

    /// <summary>Requests per <see cref="AddressWindow"/> one client address may make to <c>auth:login</c>, <c>auth:refresh</c> and <c>auth:logout</c>, failed or not.</summary>
    public int AddressPermitLimit { get; set; } = 30;

    /// <summary>The window of <see cref="AddressPermitLimit"/>.</summary>
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxFailures is < 1 or > 1000)
            yield return new ValidationResult($"Auth:MaxFailures must be between 1 and 1000; got {MaxFailures}.", [nameof(MaxFailures)]);
        if (FirstLockout <= TimeSpan.Zero || FirstLockout > TimeSpan.FromDays(1))
            yield return new ValidationResult($"Auth:FirstLockout must be between 00:00:00.001 and 1.00:00:00; got {FirstLockout}.", [nameof(FirstLockout)]);
        if (MaxLockout < FirstLockout || MaxLockout > TimeSpan.FromDays(1))
            yield return new ValidationResult($"Auth:MaxLockout must be at least Auth:FirstLockout and at most 1.00:00:00; got {MaxLockout}.", [nameof(MaxLockout)]);
        if (FailureWindow <= TimeSpan.Zero)
            yield return new ValidationResult($"Auth:FailureWindow must be positive; got {FailureWindow}.", [nameof(FailureWindow)]);
        if (MaxTrackedEntries is < 100 or > 1_000_000)
            yield return new ValidationResult($"Auth:MaxTrackedEntries must be between 100 and 1000000; got {MaxTrackedEntries}.", [nameof(MaxTrackedEntries)]);
        if (AddressPermitLimit is < 1 or > 1_000_000)
            yield return new ValidationResult($"Auth:AddressPermitLimit must be between 1 and 1000000; got {AddressPermitLimit}.", [nameof(AddressPermitLimit)]);
        if (AddressWindow <= TimeSpan.Zero)
            yield return new ValidationResult($"Auth:AddressWindow must be positive; got {AddressWindow}.", [nameof(AddressWindow)]);
    }
}
