namespace PbxModules.Sdk.Testing.Agi;

/// <summary>One command of the call and what the simulated Asterisk answered, in the order they crossed the wire.</summary>
/// <param name="Command">The command the server sent.</param>
/// <param name="Reply">The reply lines sent back (several joined by <c>\n</c> for a <c>520-</c> usage); empty when none was sent (a dropped connection, a silent peer).</param>
/// <param name="HangUpBefore">True when a <c>HANGUP</c> line went before the reply (the caller hung up while the command ran).</param>
/// <param name="HangUpAfter">True when a <c>HANGUP</c> line followed the reply (the command ended the call).</param>
/// <param name="Disconnected">True when the simulated Asterisk dropped the connection instead of answering.</param>
public sealed record SimulatedAgiExchange(SimulatedAgiCommand Command, string Reply, bool HangUpBefore, bool HangUpAfter, bool Disconnected);
