namespace PbxModules.Host.Modules;

/// <summary>
/// One reason a module's manifest (or its place among the other modules) keeps it from loading:
/// which field, what kind of problem, and the message an administrator reads in the API and the journal.
/// Code decides by <see cref="Field"/> and <see cref="Code"/>, never by the wording.
/// </summary>
/// <param name="Field">The manifest field at fault (e.g. <c>id</c>, <c>dependsOn.other</c>); null when the file as a whole is.</param>
/// <param name="Code">What is wrong with it.</param>
/// <param name="Detail">The rest of the message after the field's name: the value and what to do.</param>
public sealed record ManifestProblem(string? Field, ManifestProblemCode Code, string Detail)
{
    /// <summary>The message: <c>Field '&lt;field&gt;'</c> followed by the detail, or the detail alone for the whole file.</summary>
    public string Message => Field is null ? Detail : $"Field '{Field}'{Detail}";

    /// <inheritdoc/>
    public override string ToString() => Message;
}
