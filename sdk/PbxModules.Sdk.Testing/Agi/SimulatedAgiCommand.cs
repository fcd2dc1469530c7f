namespace PbxModules.Sdk.Testing.Agi;

/// <summary>One command the simulated Asterisk received.</summary>
/// <param name="Sequence">1 for the first command of the call, and so on.</param>
/// <param name="Line">The line as received, without its newline.</param>
/// <param name="Words">The line split as Asterisk splits it (<see cref="AgiArgumentParser"/>).</param>
/// <param name="Name">The command's words, upper-case (<c>SET VARIABLE</c>); the first word for an unknown command.</param>
/// <param name="Arguments">The words after the command's name.</param>
public sealed record SimulatedAgiCommand(int Sequence, string Line, IReadOnlyList<string> Words, string Name, IReadOnlyList<string> Arguments)
{
    /// <summary>The argument at <paramref name="index"/>, or null when absent.</summary>
    public string? Argument(int index) => index < Arguments.Count ? Arguments[index] : null;
}
