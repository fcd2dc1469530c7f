namespace PbxModules.Host.Supervision;

/// <summary>A module the crash-loop breaker has taken out of service for a while, as the API and /healthz show it.</summary>
/// <param name="Reason">Why: how many failures in what window, and the last one.</param>
/// <param name="Since">When this quarantine began (the trip, or the failed retry).</param>
/// <param name="RetryAt">When the cool-down ends: from then on calls are let through one at a time as trials.</param>
/// <param name="Trips">How many times in a row the module was quarantined without recovering (1 for the first); each doubles the cool-down.</param>
/// <param name="Retrying">True once the cool-down has ended and trial calls are being let through.</param>
public sealed record ModuleQuarantine(string Reason, DateTimeOffset Since, DateTimeOffset RetryAt, int Trips, bool Retrying);
