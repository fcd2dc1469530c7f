namespace PbxModules.Sdk.Rest;

/// <summary>
/// Documents, for the OpenAPI document, a successful answer that a REST method writes itself in a
/// content type other than the API's JSON envelope, e.g. <c>[ApiResponseContent("text/csv")]</c> on
/// an export that streams CSV to <c>HttpResponse</c>. Errors still use the envelope.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ApiResponseContentAttribute : Attribute
{
    /// <summary>Declares one content type of the successful answer.</summary>
    /// <param name="contentType">The media type, e.g. <c>text/csv</c>.</param>
    public ApiResponseContentAttribute(string contentType) => ContentType = contentType;

    /// <summary>The media type.</summary>
    public string ContentType { get; }

    /// <summary>The status code of the answer. Default 200.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The type whose JSON schema describes the answer; null for text (or a file).</summary>
    public Type? Schema { get; init; }

    /// <summary>What the answer holds, for people.</summary>
    public string? Description { get; init; }
}
