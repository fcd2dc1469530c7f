using PbxModules.Sdk.Agi;

namespace PbxModules.Host.Agi;

/// <summary>
/// Says when a module's AGI handler is done with a call: returned, or the exception that escaped it (whatever the router
/// then made of it, a hung-up caller's included). An in-process host (the test host) waits for exactly that, instead of
/// guessing from the call's end. Nothing of the daemon listens; with no listener it costs one null check per call.
/// </summary>
public sealed class AgiHandlerDispatch
{
    /// <summary>Raised on the session with the call's request and the exception that escaped the handler (null: it returned); a handler must not block.</summary>
    public event Action<AgiRequest, Exception?>? Ended;

    internal void OnEnded(AgiRequest request, Exception? escaped) => Ended?.Invoke(request, escaped);
}
