using System.Net.Sockets;
using System.Text;

namespace PbxModules.Sdk.Testing.Agi;

// Answering: the loop that reads the server's command lines and answers each as the channel (or the script) says, with any hang-up around it.
public sealed partial class SimulatedAgiCall
{
    private async Task RunAsync()
    {
        var buffer = new byte[8192];
        var line = new List<byte>(256);
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await _fromServer.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    break;
                }
                if (n == 0) break;
                for (var i = 0; i < n; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        line.Add(buffer[i]);
                        continue;
                    }
                    var text = Encoding.UTF8.GetString([.. line]);
                    line.Clear();
                    if (!await AnswerAsync(text).ConfigureAwait(false)) return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The server reset the connection or we disposed it: either way the session is over.
        }
        finally
        {
            _completion.TrySetResult();
            lock (_channel)
            {
                foreach (var (_, waiter) in _waiters)
                    waiter.TrySetException(new InvalidOperationException("The AGI session has ended without such a command."));
                _waiters.Clear();
            }
        }
    }

    // Returns false when the scripted reply drops the connection.
    private async Task<bool> AnswerAsync(string line)
    {
        SimulatedAgiCommand command;
        SimulatedAgiReply reply;
        bool hangupBefore, hangupAfter;
        lock (_channel)
        {
            command = _channel.Describe(line);
            _channel.Commands.Add(command);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(command)) continue;
                _waiters[i].Waiter.TrySetResult(command);
                _waiters.RemoveAt(i);
            }
            var scripted = Options.Replies.TryGetValue(command.Name, out var responder) ? responder(command) : null;
            var deadBefore = _channel.IsDead;
            reply = scripted ?? _channel.Execute(command);
            if (command.Sequence == Options.HangUpOnCommand && !deadBefore)
            {
                reply = Options.HangUpMode switch
                {
                    SimulatedHangup.AfterReply => reply with { HangUpAfter = true },
                    SimulatedHangup.Disconnect => SimulatedAgiReply.DropConnection,
                    _ => reply with { HangUpBefore = true },
                };
            }
            hangupBefore = reply.HangUpBefore && !deadBefore;
            // A hang-up caused by the command itself (HANGUP, EXEC Hangup) is announced after its reply.
            hangupAfter = !hangupBefore && !deadBefore && (_channel.IsDead || reply.HangUpAfter);
            if (hangupBefore || hangupAfter) _channel.IsDead = true;
            _transcript.Add(new SimulatedAgiExchange(command, reply.Silent || reply.Disconnect ? string.Empty : reply.Text, hangupBefore, hangupAfter, reply.Disconnect));
        }
        if (reply.Disconnect)
        {
            await DisconnectTransportAsync().ConfigureAwait(false);
            return false;
        }
        if (_processId is not null)
        {
            if (hangupBefore) await SendHangupAsync().ConfigureAwait(false);
            if (!reply.Silent) await WriteAsync(reply.Text + "\n").ConfigureAwait(false);
            if (hangupAfter) await SendHangupAsync().ConfigureAwait(false);
            return true;
        }
        // One write, so the reply and the HANGUP around it reach the server together and tests are
        // deterministic (a real Asterisk may leave milliseconds between them).
        var text = new StringBuilder();
        if (hangupBefore) text.Append("HANGUP\n");
        if (!reply.Silent) text.Append(reply.Text).Append('\n');
        if (hangupAfter) text.Append("HANGUP\n");
        if (text.Length > 0) await WriteAsync(text.ToString()).ConfigureAwait(false);
        return true;
    }
}
