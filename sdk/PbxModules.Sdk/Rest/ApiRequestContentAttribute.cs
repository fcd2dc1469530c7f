namespace PbxModules.Sdk.Rest;

/// <summary>
/// Documents a request body that a REST method reads itself (from <c>HttpRequest</c>) or in a
/// content type other than JSON, for the OpenAPI document: one attribute per content type, e.g.
/// <c>[ApiRequestContent("text/csv")]</c>, <c>[ApiRequestContent("application/json", Schema = typeof(RuleInput[]))]</c>
/// and <c>[ApiRequestContent("multipart/form-data")]</c>. When a method has any, they replace the
/// body the host would infer from its parameters. Binding is not changed: the method still reads
/// what it reads.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ApiRequestContentAttribute : Attribute
{
    /// <summary>Declares one content type the method accepts.</summary>
    /// <param name="contentType">The media type, e.g. <c>text/csv</c>.</param>
    public ApiRequestContentAttribute(string contentType) => ContentType = contentType;

    /// <summary>The media type.</summary>
    public string ContentType { get; }

    /// <summary>
    /// The type whose JSON schema describes the body. When null: <c>multipart/form-data</c> is
    /// described as a form with one file field named <see cref="FileField"/>, anything else as text.
    /// </summary>
    public Type? Schema { get; init; }

    /// <summary>The form field of the file, for <c>multipart/form-data</c> without a <see cref="Schema"/>. Default <c>file</c>.</summary>
    public string FileField { get; init; } = "file";

    /// <summary>What the body holds, for people.</summary>
    public string? Description { get; init; }
}
