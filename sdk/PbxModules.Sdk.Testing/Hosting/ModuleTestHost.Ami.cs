using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Ami;
using PbxModules.Sdk.Ami;

namespace PbxModules.Sdk.Testing.Hosting;

public sealed partial class ModuleTestHost
{
    /// <summary>
    /// The header that marks an event this host raised, so that it knows the workers' handling of that very event
    /// (a module sees it as one more header).
    /// </summary>
    public const string RaisedEventHeader = "PbxModulesTestEvent";

    /// <summary>
    /// Has the simulated Asterisk send an event to the host, and returns once every AMI worker it goes to (by the worker's
    /// subscription) has handled it: returned from, or thrown out of, its <c>OnEventAsync</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host is not connected to the simulated Asterisk.</exception>
    /// <exception cref="TimeoutException">A worker did not handle it within <see cref="ModuleTestHostOptions.WaitTimeout"/>.</exception>
    public async Task RaiseAmiEventAsync(string eventName, params (string Name, string Value)[] headers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        ArgumentNullException.ThrowIfNull(headers);
        var mark = Guid.NewGuid().ToString("N");
        var amiEvent = new AmiEvent([new("Event", eventName), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)), new(RaisedEventHeader, mark)]);

        var pending = Services.GetRequiredService<AmiWorkerSupervisor>().Subscriptions
            .Where(w => w.Subscription.Matches(amiEvent)).Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new Lock();
        void OnHandled(string worker, AmiEvent e)
        {
            if (e[RaisedEventHeader] != mark) return;
            lock (gate)
            {
                if (pending.Remove(worker) && pending.Count == 0) handled.TrySetResult();
            }
        }

        var dispatch = Services.GetRequiredService<AmiWorkerDispatch>();
        // Listening before the event is sent: a worker that handles it at once is not missed.
        dispatch.Handled += OnHandled;
        try
        {
            if (pending.Count == 0) handled.TrySetResult();
            var receivers = await Asterisk.SendEventAsync(amiEvent.Headers).ConfigureAwait(false);
            if (receivers == 0) throw new InvalidOperationException($"The host is not connected to the simulated Asterisk: event {eventName} reached no one.");
            try
            {
                await handled.Task.WaitAsync(_waitTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                string waiting;
                lock (gate) waiting = string.Join(", ", pending);
                throw new TimeoutException($"AMI event {eventName} was not handled within {_waitTimeout} by: {waiting}.");
            }
        }
        finally
        {
            dispatch.Handled -= OnHandled;
        }
    }
}
