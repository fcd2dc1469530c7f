namespace PbxModules.Sdk.Rest;

/// <summary>
/// Ends a REST call with a given <see cref="PbxApiResult"/> from anywhere below the resource method
/// (a binder, a helper, a service): the host sends <see cref="Result"/> with its <c>httpCode</c> as
/// the status, and does not log it as a failure. Unexpected exceptions become 500 instead.
/// </summary>
public sealed class PbxApiException : Exception
{
    /// <summary>Wraps the result to send.</summary>
    public PbxApiException(PbxApiResult result)
        : base(result?.Messages.Error.FirstOrDefault() ?? $"HTTP {result?.HttpCode}")
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The response to send.</summary>
    public PbxApiResult Result { get; }
}
