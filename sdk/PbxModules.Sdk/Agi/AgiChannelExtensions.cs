using System.Globalization;
using System.Runtime.CompilerServices;

namespace PbxModules.Sdk.Agi;

/// <summary>
/// The AGI commands as typed async methods. Every argument is quoted with <see cref="AgiCommandLine"/>,
/// so no value can split a command or inject another one.
/// </summary>
/// <remarks>
/// Errors are exceptions, consistently: <c>511</c> (dead channel) throws <see cref="AgiHangupException"/>;
/// <c>510</c> and <c>520</c> throw <see cref="AgiCommandException"/>. A <c>200 result=-1</c>, which Asterisk
/// uses for "this failed" (a missing sound file, a channel going away), throws
/// <see cref="AgiHangupException"/> when the channel is already known to be hung up and
/// <see cref="AgiCommandException"/> otherwise, except where -1 has a documented meaning of its own
/// (<see cref="HangupAsync"/> of a named channel, <see cref="GetChannelStatusAsync"/>, <see cref="RecordFileAsync"/> on hang-up).
/// The commands live in one partial file per family (<c>.Channel</c>, <c>.Variables</c>, <c>.Media</c>, <c>.Say</c>);
/// this one holds what they share: sending a command and turning its reply into a result or an exception.
/// </remarks>
public static partial class AgiChannelExtensions
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Pooled: every typed command goes through here, and its state machine would otherwise be boxed.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<AgiReply> RunAsync(IAgiChannel channel, string command, bool failOnMinusOne, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var reply = await channel.SendCommandAsync(command, cancellationToken).ConfigureAwait(false);
        switch (reply.StatusCode)
        {
            case 200:
                if (failOnMinusOne && reply.Result < 0) FailOnMinusOne(channel, command, reply);
                return reply;
            case 511:
                throw new AgiHangupException($"AGI command '{command}' was refused because the caller has hung up (Asterisk answered 511: {reply.Text}).", channel.HangupToken);
            default:
                throw new AgiCommandException(command, reply);
        }
    }

    private static void FailOnMinusOne(IAgiChannel channel, string command, AgiReply reply)
    {
        if (channel.IsHungUp)
            throw new AgiHangupException($"AGI command '{command}' failed ('{reply}') because the caller hung up.", channel.HangupToken);
        throw new AgiCommandException(command, reply);
    }

    // Playback and DTMF commands report the key pressed as its character code, 0 for none.
    private static char? ToDigit(long result) => result is > 0 and < 128 ? (char)result : null;

    private static long EndPosition(AgiReply reply)
        => long.TryParse(reply.GetExtra("endpos"), NumberStyles.Integer, Invariant, out var v) ? v : 0;

    private static string Milliseconds(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(Invariant);

    private static string UnixSeconds(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(Invariant);
}
