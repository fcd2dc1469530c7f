namespace PbxModules.Sdk.Dialplan;

/// <summary>An ordered list of priorities: a subroutine block, or the body of one extension.</summary>
public class DialplanLines
{
    private readonly List<DialplanLine> _lines = [];

    /// <summary>The lines, in order.</summary>
    public IReadOnlyList<DialplanLine> Lines => _lines;

    /// <summary>Adds <c>Application(args…)</c>.</summary>
    public DialplanLines Add(string application, params string[] arguments)
    {
        _lines.Add(DialplanLine.App(application, arguments));
        return this;
    }

    /// <summary>Adds <c>n(label),Application(args…)</c>.</summary>
    public DialplanLines AddLabeled(string label, string application, params string[] arguments)
    {
        _lines.Add(DialplanLine.App(application, arguments, label));
        return this;
    }

    /// <summary>Adds a raw line (the text after the priority), for what the typed form cannot say.</summary>
    public DialplanLines Raw(string text, string? label = null)
    {
        _lines.Add(DialplanLine.FromRaw(text, label));
        return this;
    }
}

/// <summary>A context with extensions and includes: <see cref="DialplanHook.Internal"/>, <see cref="DialplanHook.InternalTransfer"/> or a module's own.</summary>
public sealed class DialplanContext
{
    private readonly List<KeyValuePair<string, DialplanLines>> _extensions = [];
    private readonly List<string> _includes = [];

    internal DialplanContext(string name) => Name = name;

    /// <summary>The context name as rendered (for a module context, with the module id prefix).</summary>
    public string Name { get; }

    /// <summary>The extensions, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, DialplanLines>> Extensions => _extensions;

    /// <summary>The contexts included into this one.</summary>
    public IReadOnlyList<string> Includes => _includes;

    /// <summary>Adds an extension (literal or <c>_</c> pattern) and returns its body to fill.</summary>
    public DialplanLines Extension(string extension)
    {
        if (!DialplanText.IsValidExtension(extension))
            throw new ArgumentException($"'{extension}' is not a valid extension or pattern (e.g. '100', '*30', '_X.', 's').", nameof(extension));
        if (_extensions.Any(e => e.Key == extension))
            throw new ArgumentException($"Extension '{extension}' is already defined in context '{Name}'.", nameof(extension));
        var lines = new DialplanLines();
        _extensions.Add(new(extension, lines));
        return lines;
    }

    /// <summary>Adds <c>include => context</c>.</summary>
    public DialplanContext Include(string context)
    {
        if (!DialplanText.IsValidContextName(context))
            throw new ArgumentException($"'{context}' is not a valid context name.", nameof(context));
        _includes.Add(context);
        return this;
    }
}
