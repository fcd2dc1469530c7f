namespace PbxModules.Sdk.Ami;

/// <summary>
/// Asterisk answered an action with <c>Response: Error</c> where the typed helper needs success
/// (e.g. <c>Command</c> of an unknown CLI command, <c>Hangup</c> of a channel that is gone).
/// </summary>
public sealed class AmiActionException : Exception
{
    /// <summary>Creates the exception from the error response.</summary>
    public AmiActionException(string actionName, AmiResponse response)
        : base(BuildMessage(actionName, response))
    {
        ActionName = actionName;
        Response = response;
    }

    /// <summary>The action that failed.</summary>
    public string ActionName { get; }

    /// <summary>The error response as Asterisk sent it.</summary>
    public AmiResponse Response { get; }

    private static string BuildMessage(string actionName, AmiResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        // Command errors carry their reason in the Output lines, not in Message ("Command output follows").
        var detail = response.Output.Count > 0 ? string.Join(" / ", response.Output) : response.Message;
        return $"AMI action '{actionName}' failed: {detail ?? response.Response}";
    }
}
