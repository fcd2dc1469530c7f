namespace PbxModules.Sdk.Agi;

// Channel variables and dialplan functions (GET VARIABLE, SET VARIABLE…) and the AstDB (DATABASE GET/PUT/DEL/DELTREE).
public static partial class AgiChannelExtensions
{
    /// <summary>Reads a channel variable or function (<c>GET VARIABLE</c>), e.g. <c>CALLERID(num)</c>.</summary>
    /// <returns>The value (empty when set to nothing, and for functions that return nothing); null when the variable is not set.</returns>
    public static async Task<string?> GetVariableAsync(this IAgiChannel channel, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var reply = await RunAsync(channel, AgiCommandLine.Build("GET VARIABLE", name), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1 ? reply.Data ?? string.Empty : null;
    }

    /// <summary>Evaluates an expression as the dialplan would (<c>GET FULL VARIABLE</c>), e.g. <c>${CALLERID(num)}</c>.</summary>
    /// <param name="channel">The session.</param>
    /// <param name="expression">The expression, with <c>${…}</c> references.</param>
    /// <param name="channelName">Evaluate on this channel instead of the current one.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The evaluated text; null when <paramref name="channelName"/> names no channel.</returns>
    public static async Task<string?> GetFullVariableAsync(this IAgiChannel channel, string expression, string? channelName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(expression);
        var command = channelName is null
            ? AgiCommandLine.Build("GET FULL VARIABLE", expression)
            : AgiCommandLine.Build("GET FULL VARIABLE", expression, channelName);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1 ? reply.Data ?? string.Empty : null;
    }

    /// <summary>Sets a channel variable (<c>SET VARIABLE</c>). Works on a dead channel too in Asterisk, but this SDK refuses commands after <c>HANGUP</c>.</summary>
    public static async Task SetVariableAsync(this IAgiChannel channel, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        await RunAsync(channel, AgiCommandLine.Build("SET VARIABLE", name, value), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads an AstDB entry (<c>DATABASE GET</c>).</summary>
    /// <returns>The value; null when the entry does not exist.</returns>
    public static async Task<string?> DatabaseGetAsync(this IAgiChannel channel, string family, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var reply = await RunAsync(channel, AgiCommandLine.Build("DATABASE GET", family, key), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1 ? reply.Data ?? string.Empty : null;
    }

    /// <summary>Adds or updates an AstDB entry (<c>DATABASE PUT</c>).</summary>
    /// <exception cref="AgiCommandException">Asterisk could not store it (<c>result=0</c>).</exception>
    public static async Task DatabasePutAsync(this IAgiChannel channel, string family, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        var command = AgiCommandLine.Build("DATABASE PUT", family, key, value);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        if (reply.Result != 1) throw new AgiCommandException(command, reply);
    }

    /// <summary>Removes an AstDB entry (<c>DATABASE DEL</c>).</summary>
    /// <returns>True when it existed and was removed.</returns>
    public static async Task<bool> DatabaseDeleteAsync(this IAgiChannel channel, string family, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var reply = await RunAsync(channel, AgiCommandLine.Build("DATABASE DEL", family, key), failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1;
    }

    /// <summary>Removes an AstDB family, or a key tree within it (<c>DATABASE DELTREE</c>).</summary>
    /// <returns>True when something was removed.</returns>
    public static async Task<bool> DatabaseDeleteTreeAsync(this IAgiChannel channel, string family, string? keyTree = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        var command = keyTree is null
            ? AgiCommandLine.Build("DATABASE DELTREE", family)
            : AgiCommandLine.Build("DATABASE DELTREE", family, keyTree);
        var reply = await RunAsync(channel, command, failOnMinusOne: false, cancellationToken).ConfigureAwait(false);
        return reply.Result == 1;
    }
}
