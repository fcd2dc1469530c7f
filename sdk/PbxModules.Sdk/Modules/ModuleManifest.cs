using System.Text.Json.Serialization;

namespace PbxModules.Sdk.Modules;

/// <summary>
/// The contents of a module's <c>module.json</c>, which sits beside the module's main assembly.
/// The host validates every field before loading and refuses the module with a message naming
/// the offending field.
/// </summary>
/// <example>
/// <code>
/// {
///   "id": "module-black-list",
///   "name": "ModuleBlackList",
///   "version": "1.0.0",
///   "sdk": "^1.0.0",
///   "assembly": "ModuleBlackList.dll",
///   "description": "Rejects unwanted callers before they ring anyone.",
///   "developer": "PbxModules",
///   "supportEmail": "support@example.org",
///   "dependsOn": { "module-other": "^2.1.0" }
/// }
/// </code>
/// </example>
public sealed class ModuleManifest
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "module.json";

    /// <summary>Unique kebab-case identifier, e.g. <c>module-black-list</c>. Used in URLs, AGI routes and table names.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>Human-readable name, e.g. <c>ModuleBlackList</c>.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The module's own SemVer version, e.g. <c>1.2.0</c>.</summary>
    [JsonPropertyName("version")] public string? Version { get; set; }

    /// <summary>An npm-style SemVer range of SDK versions the module was built for, e.g. <c>^1.0.0</c>.</summary>
    [JsonPropertyName("sdk")] public string? Sdk { get; set; }

    /// <summary>File name of the main assembly, relative to the module folder, e.g. <c>ModuleBlackList.dll</c>.</summary>
    [JsonPropertyName("assembly")] public string? Assembly { get; set; }

    /// <summary>One or two sentences for administrators.</summary>
    [JsonPropertyName("description")] public string? Description { get; set; }

    /// <summary>Who wrote the module.</summary>
    [JsonPropertyName("developer")] public string? Developer { get; set; }

    /// <summary>Where administrators send problems.</summary>
    [JsonPropertyName("supportEmail")] public string? SupportEmail { get; set; }

    /// <summary>Modules this one needs, by id, each with a SemVer range of acceptable versions.</summary>
    [JsonPropertyName("dependsOn")] public Dictionary<string, string>? DependsOn { get; set; }
}
