using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxModules.Host.Rest;

/// <summary>The JSON conventions of <c>/pbxcore/api/v3</c>: camelCase, enums as strings.</summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter());
    }
}
