using System.Text.Json;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest;

/// <summary>Sends a <see cref="PbxApiResult"/> as JSON with its <c>httpCode</c> as the status code.</summary>
internal sealed class PbxApiHttpResult(PbxApiResult result, JsonSerializerOptions? json = null) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<PbxApiResult>
{
    public int? StatusCode => result.HttpCode;

    public PbxApiResult Value => result;

    object? IValueHttpResult.Value => result;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var options = json ?? httpContext.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions;
        return WriteAsync(httpContext, result, options);
    }

    /// <summary>Writes <paramref name="result"/> unless the response has started.</summary>
    public static Task WriteAsync(HttpContext httpContext, PbxApiResult result, JsonSerializerOptions? options)
    {
        if (httpContext.Response.HasStarted) return Task.CompletedTask;
        httpContext.Response.StatusCode = result.HttpCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(httpContext.Response.Body, result, options ?? DefaultJson, httpContext.RequestAborted);
    }

    private static readonly JsonSerializerOptions DefaultJson = CreateDefault();

    private static JsonSerializerOptions CreateDefault()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options);
        return options;
    }
}
