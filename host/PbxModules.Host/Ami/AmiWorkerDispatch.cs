using PbxModules.Sdk.Ami;

namespace PbxModules.Host.Ami;

/// <summary>
/// Says when a module's AMI worker is done with an event (its <see cref="IAmiWorker.OnEventAsync"/> returned or
/// threw): an in-process host (the test host) raises an event and waits for exactly that, instead of sleeping.
/// Nothing of the daemon listens; with no listener it costs one null check per event.
/// </summary>
public sealed class AmiWorkerDispatch
{
    /// <summary>Raised on the worker's loop with the worker's name (<c>module-id/WorkerType</c>) and the event; a handler must not block.</summary>
    public event Action<string, AmiEvent>? Handled;

    internal void OnHandled(string worker, AmiEvent amiEvent) => Handled?.Invoke(worker, amiEvent);
}
