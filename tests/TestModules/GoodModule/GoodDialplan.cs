using PbxModules.Sdk.Dialplan;

namespace TestModules.Good;

/// <summary>A contribution registered through the SDK helper: one global and one feature code.</summary>
public sealed class GoodDialplan : IDialplanContributor
{
    /// <inheritdoc/>
    public ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        dialplan.SetGlobal("TEST_GOOD", "1");
        dialplan.Internal.Extension("*99").Add("NoOp", "test-good");
        return ValueTask.CompletedTask;
    }
}
