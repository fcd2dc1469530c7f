namespace PbxModules.Sdk.Dialplan;

/// <summary>
/// One priority of an extension: <c>same => n(label),Application(arg1,arg2)</c>, or a raw line
/// the author wrote whole (the escape hatch, still checked to be a single line).
/// </summary>
public sealed record DialplanLine
{
    private DialplanLine(string? label, string? application, IReadOnlyList<string> arguments, string? raw)
    {
        Label = label;
        Application = application;
        Arguments = arguments;
        Raw = raw;
    }

    /// <summary>An optional priority label, for <c>Goto</c>.</summary>
    public string? Label { get; }

    /// <summary>The application, e.g. <c>AGI</c>; null for a raw line.</summary>
    public string? Application { get; }

    /// <summary>The escaped arguments.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>For a raw line, the text after <c>same => n,</c> (e.g. <c>GotoIf($[${X}=1]?blocked)</c>).</summary>
    public string? Raw { get; }

    /// <summary>Creates an application line, validating the names and escaping every argument.</summary>
    public static DialplanLine App(string application, IEnumerable<string> arguments, string? label = null)
    {
        if (!DialplanText.IsValidApplication(application))
            throw new ArgumentException($"'{application}' is not a valid dialplan application name.", nameof(application));
        CheckLabel(label);
        return new DialplanLine(label, application, [.. arguments.Select(DialplanText.EscapeArgument)], null);
    }

    /// <summary>Creates a raw line: the text after the priority, written as is. It must be one line.</summary>
    public static DialplanLine FromRaw(string text, string? label = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        DialplanText.EnsureSingleLine(text, nameof(text));
        CheckLabel(label);
        return new DialplanLine(label, null, [], text);
    }

    /// <summary>Renders the part after the priority: <c>App(a,b)</c> or the raw text.</summary>
    public string RenderBody() => Raw ?? $"{Application}({string.Join(',', Arguments)})";

    private static void CheckLabel(string? label)
    {
        if (label is not null && !DialplanText.IsValidLabel(label))
            throw new ArgumentException($"'{label}' is not a valid priority label: use letters, digits, '_' and '-'.", nameof(label));
    }
}
