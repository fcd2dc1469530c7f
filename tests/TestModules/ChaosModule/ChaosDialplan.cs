using PbxModules.Sdk.Dialplan;

namespace TestModules.Chaos;

/// <summary>Behaves: sets the global <c>TEST_CHAOS=1</c>.</summary>
public sealed class GoodDialplan : IDialplanContributor
{
    /// <inheritdoc/>
    public int Order => 100;

    /// <inheritdoc/>
    public ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        dialplan.SetGlobal("TEST_CHAOS", "1");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Throws (unless <c>Modules:test-chaos:DialplanThrows</c> is false), after adding a line that must not be written.</summary>
public sealed class BrokenDialplan(ChaosSettings settings) : IDialplanContributor
{
    /// <inheritdoc/>
    public int Order => 200;

    /// <inheritdoc/>
    public ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        dialplan.SetGlobal("TEST_CHAOS_BROKEN", "1");
        if (settings.DialplanThrows) throw new InvalidOperationException("chaos: this dialplan contributor throws");
        return ValueTask.CompletedTask;
    }
}
