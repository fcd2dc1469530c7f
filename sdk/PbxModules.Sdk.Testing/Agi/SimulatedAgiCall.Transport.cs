using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace PbxModules.Sdk.Testing.Agi;

// The wire: writing to the server, the hang-up signal (a HANGUP line, or SIGHUP for a process AGI), dropping the connection.
public sealed partial class SimulatedAgiCall
{
    private Task DisconnectTransportAsync()
    {
        _transport?.Dispose();
        return _transport is null ? _toServer.DisposeAsync().AsTask() : Task.CompletedTask;
    }

    private Task SendHangupAsync()
    {
        if (_processId is { } pid)
        {
            // res_agi signals a process AGI with SIGHUP instead of writing HANGUP (AGISIGHUP=yes).
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = Kill(pid, 1);
            return Task.CompletedTask;
        }
        return WriteAsync("HANGUP\n");
    }

    private async Task WriteAsync(string text, CancellationToken cancellationToken = default)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _toServer.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _toServer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The server is gone; Completion reports the end of the session.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
