using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest;

/// <summary>
/// Describes the bodies and answers a module method declares with <see cref="ApiRequestContentAttribute"/>
/// and <see cref="ApiResponseContentAttribute"/> (CSV, multipart forms, JSON read by hand), which the
/// OpenAPI generator cannot infer from a method that reads <c>HttpRequest</c> or writes <c>HttpResponse</c>
/// itself: without them an import showed as an empty JSON body and a CSV export as JSON.
/// </summary>
internal static class ApiContentTransformer
{
    public static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault() is not { } method) return;

        var requests = method.GetCustomAttributes<ApiRequestContentAttribute>().ToList();
        if (requests.Count > 0)
        {
            var body = new OpenApiRequestBody
            {
                Required = true,
                Description = string.Join(" ", requests.Where(r => r.Description is { Length: > 0 }).Select(r => $"{r.ContentType}: {r.Description}")),
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.OrdinalIgnoreCase),
            };
            foreach (var request in requests)
                body.Content[request.ContentType] = new OpenApiMediaType { Schema = await SchemaAsync(request.Schema, request.ContentType, request.FileField, context, cancellationToken) };
            operation.RequestBody = body;
        }

        foreach (var group in method.GetCustomAttributes<ApiResponseContentAttribute>().GroupBy(r => r.StatusCode))
        {
            var response = new OpenApiResponse
            {
                Description = string.Join(" ", group.Select(r => r.Description).Where(d => d is { Length: > 0 })) is { Length: > 0 } d ? d : "Success.",
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.OrdinalIgnoreCase),
            };
            foreach (var answer in group)
                response.Content[answer.ContentType] = new OpenApiMediaType { Schema = await SchemaAsync(answer.Schema, answer.ContentType, null, context, cancellationToken) };
            operation.Responses ??= [];
            operation.Responses[group.Key.ToString(CultureInfo.InvariantCulture)] = response;
        }
    }

    private static async Task<IOpenApiSchema> SchemaAsync(Type? type, string contentType, string? fileField, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (type is not null) return await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
        if (fileField is not null && contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { fileField },
                Properties = new Dictionary<string, IOpenApiSchema> { [fileField] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            };
        }
        return new OpenApiSchema { Type = JsonSchemaType.String };
    }
}
