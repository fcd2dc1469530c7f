using PbxModules.Asterisk.Ami.Transport;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>
/// An action waiting for its answer, keyed by ActionID. It collects the answer as it arrives: the
/// response, then for event lists every event up to the <c>EventList: Complete</c> one, or the
/// completion event the action asked for (<see cref="AmiAction.CompletionEventName"/>).
/// </summary>
/// <remarks>
/// Events carrying the ActionID can arrive before the response: over HTTP the response comes in the
/// POST's reply while events come through the separate <c>waitevent</c> poll, and either may be parsed
/// first (Asterisk queues an async Originate's <c>OriginateResponse</c> before it writes the POST reply).
/// Such events are held here until the response arrives, then handled in arrival order as if they had
/// come after it. Every event that is not consumed (list items are) goes to subscribers through the
/// release callback, under this action's lock, so they keep their order.
/// </remarks>
internal sealed class PendingAction
{
    /// <summary>How many early events one action holds at most; beyond that they go to subscribers unheld.</summary>
    internal const int MaxEarlyEvents = 1_000;

    private readonly TaskCompletionSource<AmiResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Action<AmiEvent> _release;
    private AmiResponse? _response;
    private List<AmiEvent>? _events;
    private List<AmiEvent>? _early;
    private bool _awaitingCompletionEvent;
    private bool _abandoned;

    /// <param name="actionId">The ActionID sent.</param>
    /// <param name="action">The action.</param>
    /// <param name="transport">The connection it went out on.</param>
    /// <param name="release">Hands an event that is not part of the answer to subscribers.</param>
    public PendingAction(string actionId, AmiAction action, IAmiTransport transport, Action<AmiEvent> release)
    {
        ActionId = actionId;
        Action = action;
        Transport = transport;
        _release = release;
    }

    public string ActionId { get; }

    public AmiAction Action { get; }

    /// <summary>The connection the action went out on: only its loss fails this action.</summary>
    public IAmiTransport Transport { get; }

    public Task<AmiResponse> Task => _completion.Task;

    /// <summary>Takes the response frame, then the events that came before it, in order.</summary>
    public void AcceptResponse(AmiResponse response)
    {
        AmiResponse? done = null;
        lock (_gate)
        {
            if (_response is not null || _abandoned) return;
            _response = response;
            // Asterisk announces a list in the response itself; trust that over the caller's flag.
            if (string.Equals(response["EventList"], "start", StringComparison.OrdinalIgnoreCase))
                _events = [];
            else if (Action.CompletionEventName is not null && response.IsSuccess)
                _awaitingCompletionEvent = true;
            else
                done = response;

            if (_early is not null)
            {
                foreach (var early in _early) Handle(early, ref done);
                _early = null;
            }
        }

        if (done is not null) _completion.TrySetResult(done);
    }

    /// <summary>
    /// Offers an event carrying this action's ActionID. Returns true when this action took care of it:
    /// held until the response, consumed as a list item, or released to subscribers in order. False
    /// when the caller should hand it to subscribers itself (the action is gone, or too many are held).
    /// </summary>
    public bool AcceptEvent(AmiEvent amiEvent)
    {
        AmiResponse? done = null;
        lock (_gate)
        {
            if (_abandoned) return false;
            if (_response is null)
            {
                _early ??= [];
                if (_early.Count >= MaxEarlyEvents) return false;
                _early.Add(amiEvent);
                return true;
            }

            Handle(amiEvent, ref done);
        }

        if (done is not null) _completion.TrySetResult(done);
        return true;
    }

    /// <summary>
    /// The action is done with (answered, timed out, failed): events held for a response that never
    /// came go to subscribers, and later events with this ActionID are no longer taken.
    /// </summary>
    public void Abandon()
    {
        lock (_gate)
        {
            if (_abandoned) return;
            _abandoned = true;
            if (_early is null) return;
            foreach (var early in _early) _release(early);
            _early = null;
        }
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    /// <summary>One event after the response (under the lock): part of the answer, or for subscribers.</summary>
    private void Handle(AmiEvent amiEvent, ref AmiResponse? done)
    {
        if (_events is not null && done is null)
        {
            if (string.Equals(amiEvent["EventList"], "Complete", StringComparison.OrdinalIgnoreCase))
                done = new AmiResponse(_response!.Headers, _events, amiEvent);
            else
                _events.Add(amiEvent);
            return;
        }

        if (_awaitingCompletionEvent && string.Equals(amiEvent.Name, Action.CompletionEventName, StringComparison.OrdinalIgnoreCase))
        {
            _awaitingCompletionEvent = false;
            done = new AmiResponse(_response!.Headers, null, amiEvent);
        }

        // A completion event (OriginateResponse) is also an ordinary event subscribers may want.
        _release(amiEvent);
    }
}
