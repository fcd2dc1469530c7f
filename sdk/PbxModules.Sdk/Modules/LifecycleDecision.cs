namespace PbxModules.Sdk.Modules;

/// <summary>The answer of a "before" lifecycle hook: go ahead, or refuse with a reason.</summary>
public sealed class LifecycleDecision
{
    private LifecycleDecision(bool allowed, string? reason)
    {
        IsAllowed = allowed;
        Reason = reason;
    }

    /// <summary>Go ahead.</summary>
    public static LifecycleDecision Allow { get; } = new(true, null);

    /// <summary>Refuse, saying why in words an administrator can act on.</summary>
    /// <param name="reason">Why, e.g. "Calls are being recorded; stop the campaign first."</param>
    public static LifecycleDecision Veto(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new LifecycleDecision(false, reason);
    }

    /// <summary>True when the transition may go ahead.</summary>
    public bool IsAllowed { get; }

    /// <summary>The reason of a veto; null when allowed.</summary>
    public string? Reason { get; }
}
