using PbxModules.Asterisk.Ami.Transport;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>
/// An action waiting for its answer, keyed by ActionID. It collects the answer as it arrives: the
/// response, then for event lists every event up to the <c>EventList: Complete</c> one, or the
/// completion event the action asked for (<see cref="AmiAction.CompletionEventName"/>).
/// </summary>
internal sealed class PendingAction
{
    private readonly TaskCompletionSource<AmiResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private AmiResponse? _response;
    private List<AmiEvent>? _events;
    private bool _awaitingCompletionEvent;

    public PendingAction(string actionId, AmiAction action, IAmiTransport transport)
    {
        ActionId = actionId;
        Action = action;
        Transport = transport;
    }

    public string ActionId { get; }

    public AmiAction Action { get; }

    /// <summary>The connection the action went out on: only its loss fails this action.</summary>
    public IAmiTransport Transport { get; }

    public Task<AmiResponse> Task => _completion.Task;

    /// <summary>Takes the response frame.</summary>
    public void AcceptResponse(AmiResponse response)
    {
        lock (_gate)
        {
            if (_response is not null) return;
            _response = response;
            // Asterisk announces a list in the response itself; trust that over the caller's flag.
            if (string.Equals(response["EventList"], "start", StringComparison.OrdinalIgnoreCase))
            {
                _events = [];
                return;
            }

            if (Action.CompletionEventName is not null && response.IsSuccess)
            {
                _awaitingCompletionEvent = true;
                return;
            }
        }

        _completion.TrySetResult(response);
    }

    /// <summary>
    /// Offers an event carrying this action's ActionID. Returns true when it was a list item or the
    /// list's end (consumed: not an event for subscribers).
    /// </summary>
    public bool AcceptEvent(AmiEvent amiEvent)
    {
        AmiResponse? done = null;
        var consumed = false;
        lock (_gate)
        {
            if (_response is null) return false;
            if (_events is not null)
            {
                consumed = true;
                if (string.Equals(amiEvent["EventList"], "Complete", StringComparison.OrdinalIgnoreCase))
                    done = new AmiResponse(_response.Headers, _events, amiEvent);
                else
                    _events.Add(amiEvent);
            }
            else if (_awaitingCompletionEvent && string.Equals(amiEvent.Name, Action.CompletionEventName, StringComparison.OrdinalIgnoreCase))
            {
                _awaitingCompletionEvent = false;
                done = new AmiResponse(_response.Headers, null, amiEvent);
            }
        }

        if (done is not null) _completion.TrySetResult(done);
        return consumed;
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
