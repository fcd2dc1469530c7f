namespace PbxModules.Host.Packages.Feeds;

/// <summary>
/// What a module package's nuspec tags say about the module, so that a feed tells what a version needs
/// without a download. sdk/PbxModules.Sdk/build/PbxModules.Sdk.targets writes them from module.json at <c>dotnet pack</c>:
/// <c>pbxmodule pbxmodule-sdk:&lt;range&gt; pbxmodule-dependson:&lt;id&gt;@&lt;range&gt;</c>, each space of a
/// range written as <c>_</c> (a tag holds no space; a SemVer range holds no <c>_</c>).
/// </summary>
public static class ModulePackageTags
{
    /// <summary>The tag every module package carries (a search on a hosted feed finds modules by it).</summary>
    public const string ModuleTag = "pbxmodule";

    /// <summary>The prefix of the tag holding module.json's <c>sdk</c> range.</summary>
    public const string SdkPrefix = "pbxmodule-sdk:";

    /// <summary>The prefix of one tag per <c>dependsOn</c> entry, <c>&lt;id&gt;@&lt;range&gt;</c>.</summary>
    public const string DependsOnPrefix = "pbxmodule-dependson:";

    /// <summary>
    /// Reads the sdk range and dependsOn from a nuspec's tags (space separated in a nuspec; a v3 feed may
    /// answer them comma separated). Tags that are not a module's are ignored.
    /// </summary>
    public static (string? SdkRange, IReadOnlyDictionary<string, string> DependsOn) Parse(string? tags)
    {
        string? sdk = null;
        var dependsOn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in (tags ?? string.Empty).Split([' ', ',', ';', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (tag.StartsWith(SdkPrefix, StringComparison.Ordinal) && tag.Length > SdkPrefix.Length)
            {
                sdk = Decode(tag[SdkPrefix.Length..]);
            }
            else if (tag.StartsWith(DependsOnPrefix, StringComparison.Ordinal))
            {
                var entry = tag[DependsOnPrefix.Length..];
                var at = entry.IndexOf('@', StringComparison.Ordinal);
                if (at > 0 && at < entry.Length - 1) dependsOn[entry[..at]] = Decode(entry[(at + 1)..]);
            }
        }
        return (sdk, dependsOn);
    }

    private static string Decode(string range) => range.Replace('_', ' ');
}
