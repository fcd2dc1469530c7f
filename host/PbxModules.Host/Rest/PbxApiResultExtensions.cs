using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest;

/// <summary>Turns a <see cref="PbxApiResult"/> into an HTTP response whose status code is the result's <c>httpCode</c>.</summary>
internal static class PbxApiResultExtensions
{
    public static IResult ToHttpResult(this PbxApiResult result) => new PbxApiHttpResult(result);
}
