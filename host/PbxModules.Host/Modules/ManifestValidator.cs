using System.Text.Json;
using System.Text.RegularExpressions;
using PbxModules.Sdk;
using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Modules;

/// <summary>The outcome of reading one module folder's manifest.</summary>
/// <param name="Manifest">The manifest as read; null when the file is missing or not JSON.</param>
/// <param name="Version">The parsed <c>version</c>; null when invalid.</param>
/// <param name="Problems">Every problem found, each naming its field. Empty when valid.</param>
public sealed record ManifestReadResult(ModuleManifest? Manifest, SemVersion? Version, IReadOnlyList<ManifestProblem> Problems)
{
    /// <summary>The problems' messages.</summary>
    public IReadOnlyList<string> Errors => [.. Problems.Select(p => p.Message)];

    /// <summary>True when the manifest can be loaded.</summary>
    public bool IsValid => Problems.Count == 0 && Manifest is not null && Version is not null;
}

/// <summary>
/// Reads and checks <c>module.json</c>: each problem gets its own message naming the field and what
/// to do, because an administrator reads it in the API or the journal, not in the code.
/// Dependencies between modules are checked later, by <see cref="DependencyResolver"/>, once every
/// manifest is known.
/// </summary>
public static partial class ManifestValidator
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        PropertyNameCaseInsensitive = true,
        MaxDepth = 16,
    };

    /// <summary>The SDK version this host provides.</summary>
    public static SemVersion HostSdkVersion { get; } = SemVersion.Parse(SdkInfo.Version, SemVersionStyles.Strict);

    /// <summary>Reads and validates the manifest in a module folder.</summary>
    public static ManifestReadResult ReadFromFolder(string folder)
    {
        var path = Path.Combine(folder, ModuleManifest.FileName);
        if (!File.Exists(path))
            return new(null, null, [new(null, ManifestProblemCode.FileMissing, $"{ModuleManifest.FileName} not found in '{folder}': every module folder needs one beside its assembly.")]);

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            return new(null, null, [new(null, ManifestProblemCode.FileUnreadable, $"{ModuleManifest.FileName} could not be read: {ex.Message}")]);
        }
        return Validate(json, folder);
    }

    /// <summary>Validates manifest text; <paramref name="folder"/> is where the assembly must be.</summary>
    public static ManifestReadResult Validate(string json, string? folder)
    {
        ModuleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModuleManifest>(json, JsonOptions);
        }
        catch (JsonException ex) when (ex.InnerException is not JsonException && ex.Path is { } path)
        {
            // Well-formed JSON whose value at Path has the wrong type (a syntax error carries the reader's JsonException inside).
            return new(null, null, [WrongType(path)]);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : string.Empty;
            return new(null, null, [new(null, ManifestProblemCode.NotJson, $"{ModuleManifest.FileName} is not valid JSON{where}: fix the syntax.")]);
        }
        if (manifest is null)
            return new(null, null, [new(null, ManifestProblemCode.NotJson, $"{ModuleManifest.FileName} is empty: it must be a JSON object with at least id, name, version, sdk and assembly.")]);

        var errors = new List<ManifestProblem>();
        SemVersion? version = null;

        if (string.IsNullOrWhiteSpace(manifest.Id))
            errors.Add(new("id", ManifestProblemCode.Required, " is required: a unique kebab-case identifier such as 'module-black-list'."));
        else if (!KebabCase().IsMatch(manifest.Id) || manifest.Id.Length > 64)
            errors.Add(new("id", ManifestProblemCode.Invalid, $" ('{manifest.Id}') must be kebab-case: lower-case letters and digits separated by single dashes, at most 64 characters, e.g. 'module-black-list'."));
        else if (Rest.RestPaths.ReservedSegments.Contains(manifest.Id))
            errors.Add(new("id", ManifestProblemCode.Reserved, $" ('{manifest.Id}') is a path of the host's own API (/pbxcore/api/v3/{manifest.Id}), where the module's REST resources would live: choose another id."));
        else if (Packages.ModulePackageOptions.SettingNames.Contains(manifest.Id))
            errors.Add(new("id", ManifestProblemCode.Reserved, $" ('{manifest.Id}') is a setting of the host's own (Modules:{manifest.Id}), where the module's settings would live: choose another id."));

        if (string.IsNullOrWhiteSpace(manifest.Name))
            errors.Add(new("name", ManifestProblemCode.Required, " is required: the module's human-readable name, e.g. 'ModuleBlackList'."));

        if (string.IsNullOrWhiteSpace(manifest.Version))
            errors.Add(new("version", ManifestProblemCode.Required, " is required: the module's SemVer version, e.g. '1.0.0'."));
        else if (!SemVersion.TryParse(manifest.Version, SemVersionStyles.Strict, out version))
            errors.Add(new("version", ManifestProblemCode.Invalid, $" ('{manifest.Version}') is not a valid SemVer version: use MAJOR.MINOR.PATCH, e.g. '1.2.0'."));

        if (string.IsNullOrWhiteSpace(manifest.Sdk))
            errors.Add(new("sdk", ManifestProblemCode.Required, $" is required: the SDK versions the module was built for, e.g. '^{SdkInfo.Version}'."));
        else if (!SemVersionRange.TryParseNpm(manifest.Sdk, out var sdkRange))
            errors.Add(new("sdk", ManifestProblemCode.Invalid, $" ('{manifest.Sdk}') is not a valid SemVer range: use e.g. '^1.0.0' or '>=1.0.0 <2.0.0'."));
        else if (!sdkRange.Contains(HostSdkVersion))
            errors.Add(new("sdk", ManifestProblemCode.SdkUnsatisfied, $" ('{manifest.Sdk}') is not satisfied by this host's SDK {HostSdkVersion}: install a version of the module built for SDK {HostSdkVersion}, or a host that provides the SDK it needs."));

        if (string.IsNullOrWhiteSpace(manifest.Assembly))
            errors.Add(new("assembly", ManifestProblemCode.Required, " is required: the file name of the module's main assembly, e.g. 'ModuleBlackList.dll'."));
        else if (!IsPlainFileName(manifest.Assembly) || !manifest.Assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            errors.Add(new("assembly", ManifestProblemCode.Invalid, $" ('{manifest.Assembly}') must be a .dll file name inside the module folder, without any directory part."));
        else if (folder is not null && !File.Exists(Path.Combine(folder, manifest.Assembly)))
            errors.Add(new("assembly", ManifestProblemCode.AssemblyNotFound, $": '{manifest.Assembly}' is not in '{folder}'. Reinstall the module: its files are incomplete."));

        if (manifest.SupportEmail is { Length: > 0 } email && !SimpleEmail().IsMatch(email))
            errors.Add(new("supportEmail", ManifestProblemCode.Invalid, $" ('{email}') is not an e-mail address."));

        foreach (var (dependency, range) in manifest.DependsOn ?? [])
        {
            if (!KebabCase().IsMatch(dependency))
                errors.Add(new("dependsOn", ManifestProblemCode.Invalid, $": '{dependency}' is not a module id (kebab-case, e.g. 'module-black-list')."));
            else if (dependency == manifest.Id)
                errors.Add(new($"dependsOn.{dependency}", ManifestProblemCode.SelfDependency, ": a module cannot depend on itself."));
            if (string.IsNullOrWhiteSpace(range) || !SemVersionRange.TryParseNpm(range, out _))
                errors.Add(new($"dependsOn.{dependency}", ManifestProblemCode.Invalid, $" ('{range}') is not a valid SemVer range: use e.g. '^1.0.0'."));
        }

        return new(manifest, version, errors);
    }

    /// <summary>The message for a value of the wrong JSON type at <paramref name="jsonPath"/> (e.g. <c>$.version</c>, <c>$.dependsOn['a-b']</c>).</summary>
    private static ManifestProblem WrongType(string jsonPath)
    {
        var field = JsonPathSegment().Replace(jsonPath, ".$1").TrimStart('$').TrimStart('.');
        return field switch
        {
            "" => new(null, ManifestProblemCode.NotJson, $"{ModuleManifest.FileName} must be a JSON object with at least id, name, version, sdk and assembly."),
            "dependsOn" => new(field, ManifestProblemCode.WrongType, " must be a JSON object mapping module ids to version ranges, e.g. { \"module-other\": \"^1.0.0\" }."),
            _ => new(field, ManifestProblemCode.WrongType, " must be a JSON string."),
        };
    }

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex JsonPathSegment();

    private static bool IsPlainFileName(string name)
        => name == Path.GetFileName(name) && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && name is not ("." or "..") && !name.Contains('\\');

    /// <summary>True for a well-formed module id (kebab-case, at most 64 characters), e.g. one a request names before it is looked up on the feeds.</summary>
    internal static bool IsModuleId(string? id) => id is { Length: > 0 and <= 64 } && KebabCase().IsMatch(id);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    internal static partial Regex KebabCase();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex SimpleEmail();
}
