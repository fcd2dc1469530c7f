namespace PbxModules.Sdk.Agi;

/// <summary>
/// A command was sent on a channel whose caller has hung up (Asterisk sent <c>HANGUP</c>, answered 511,
/// or the connection closed). Derives from <see cref="OperationCanceledException"/> so that a handler
/// which lets it escape ends like a cancelled one.
/// </summary>
public sealed class AgiHangupException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public AgiHangupException(string message) : base(message) { }

    /// <summary>Creates the exception with a cancellation token.</summary>
    public AgiHangupException(string message, CancellationToken token) : base(message, token) { }

    /// <summary>Creates the exception with the reason underneath (a closed socket, a cancelled wait).</summary>
    public AgiHangupException(string message, Exception? innerException, CancellationToken token)
        : base(message, innerException, token) { }
}
