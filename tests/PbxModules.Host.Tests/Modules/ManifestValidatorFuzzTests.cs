using System.Text;
using CsCheck;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>
/// Property-based fuzzing of the manifest reader (docs/RELIABILITY.md): whatever a module folder's
/// module.json holds, <see cref="ManifestValidator.Validate"/> answers with a result, never an exception,
/// and a result is either valid (manifest and version, no errors) or names at least one error.
/// </summary>
public sealed class ManifestValidatorFuzzTests
{
    /// <summary>Cases per generator per run.</summary>
    public const int Cases = 5_000;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private const string Valid = """
        { "id": "module-black-list", "name": "ModuleBlackList", "version": "1.0.0", "sdk": "^1.0.0",
          "assembly": "ModuleBlackList.dll", "description": "d", "developer": "x", "supportEmail": "a@b.example",
          "dependsOn": { "other-module": "^2.0.0" } }
        """;

    private static readonly string[] Fields = ["id", "name", "version", "sdk", "assembly", "description", "developer", "supportEmail", "dependsOn", "extra"];

    private static readonly string[] Strings =
    [
        "", " ", "module-black-list", "a--b", "-a", "A", new string('a', 70), new string('a', 5000) + "!", "1.0.0", "1.0", "v1.0.0",
        "1.0.0-rc.1+build", "99999999999999999999.0.0", "^1.0.0", ">=1.0.0 <2.0.0", "^", "||", "1.x", "*", ">=", "~1", "1 - 2",
        new string('^', 3000), string.Concat(Enumerable.Repeat("1.0.0 || ", 500)), "x.dll", "../x.dll", "/etc/x.dll", "a\\b.dll",
        "x.DLL", "con.dll", "a@b", "@", "a@b.c" + new string('c', 3000), "\u0000", "\ud800", "é", "🎧",
    ];

    private static Gen<string> JsonValue(int depth) => depth <= 0
        ? Gen.OneOf(Gen.OneOf(Strings).Select(Quote), Gen.String.Select(Quote), Gen.OneOf("null", "true", "1", "-0.5e308", "1e400", "[]", "{}"))
        : Gen.OneOf(
            Gen.OneOf(Strings).Select(Quote),
            Gen.String.Select(Quote),
            Gen.OneOf("null", "false", "0", "12345678901234567890"),
            JsonValue(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"),
            Gen.Select(Gen.OneOf(Gen.OneOf(Strings), Gen.String), JsonValue(depth - 1)).Array[0, 4]
                .Select(members => "{" + string.Join(",", members.Select(m => Quote(m.Item1) + ":" + m.Item2)) + "}"));

    // Objects with the manifest's own field names, each holding any kind of value.
    private static readonly Gen<string> Manifests =
        Gen.Select(Gen.OneOf(Fields), JsonValue(2)).Array[0, 12]
            .Select(members => "{" + string.Join(",", members.Select(m => Quote(m.Item1) + ":" + m.Item2)) + "}");

    // A valid manifest broken at random: truncated, a character replaced or inserted, or nested deep.
    private static readonly Gen<string> Mutants = Gen.OneOf(
        Gen.Int[0, Valid.Length].Select(n => Valid[..n]),
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Char).Select((i, c) => Valid[..i] + c + Valid[(i + 1)..]),
        Gen.Select(Gen.Int[0, Valid.Length], Gen.OneOf("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u12", "/*", "//")).Select((i, s) => Valid[..i] + s + Valid[i..]),
        Gen.Int[1, 2000].Select(n => new string('[', n) + new string(']', n)),
        Gen.Int[1, 2000].Select(n => "{\"dependsOn\":" + string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n + 1)));

    [Fact]
    public async Task Any_manifest_text_gets_a_result_and_never_an_exception()
    {
        await Task.Run(() =>
        {
            Manifests.Sample(Check, iter: Cases);
            Mutants.Sample(Check, iter: Cases);
            Gen.String.Sample(Check, iter: Cases);
        }).WaitAsync(Deadline);
    }

    private static void Check(string json)
    {
        var result = ManifestValidator.Validate(json, folder: null);
        if (result.IsValid)
        {
            if (result.Manifest is null || result.Version is null) throw new InvalidOperationException("valid without a manifest or version");
        }
        else if (result.Errors.Count == 0 || result.Errors.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException("refused without a reason");
        }
    }

    private static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c < ' ' || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
