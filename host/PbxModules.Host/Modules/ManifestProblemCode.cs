namespace PbxModules.Host.Modules;

/// <summary>What kind of <see cref="ManifestProblem"/> it is.</summary>
public enum ManifestProblemCode
{
    /// <summary><c>module.json</c> is missing from the folder.</summary>
    FileMissing,

    /// <summary><c>module.json</c> could not be read.</summary>
    FileUnreadable,

    /// <summary><c>module.json</c> is not valid JSON, or not a JSON object.</summary>
    NotJson,

    /// <summary>A field holds a value of the wrong JSON type.</summary>
    WrongType,

    /// <summary>A required field is missing or empty.</summary>
    Required,

    /// <summary>A field's value is malformed (not kebab-case, not SemVer, not a file name, …).</summary>
    Invalid,

    /// <summary>The SDK range is not satisfied by this host's SDK.</summary>
    SdkUnsatisfied,

    /// <summary>The assembly the manifest names is not in the folder.</summary>
    AssemblyNotFound,

    /// <summary>The id is a path segment of the host's own API (<c>/pbxcore/api/v3/&lt;id&gt;</c>), where the module's resources would live.</summary>
    Reserved,

    /// <summary>Another folder keeps the id this one claims.</summary>
    DuplicateId,

    /// <summary>A module depends on itself.</summary>
    SelfDependency,

    /// <summary>A dependency is not installed.</summary>
    DependencyNotInstalled,

    /// <summary>A dependency is installed but cannot load.</summary>
    DependencyUnavailable,

    /// <summary>A dependency's installed version is outside the required range.</summary>
    DependencyVersion,

    /// <summary>Modules depend on each other in a loop.</summary>
    DependencyCycle,
}
