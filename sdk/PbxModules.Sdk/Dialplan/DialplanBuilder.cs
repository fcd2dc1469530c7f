namespace PbxModules.Sdk.Dialplan;

/// <summary>
/// What one module contributes to <c>extensions_modules.conf</c>, built through typed methods that
/// validate names and escape values. The host composes the builders of all enabled modules.
/// </summary>
/// <example><code>
/// dialplan.IncomingBeforeDial(IncomingStage.PreSystem)
///     .Add("AGI", $"agi://{agiHost}:4573/module-black-list/check,${{ARG1}}")
///     .Raw("GotoIf($[\"${BLACKLISTED}\" = \"1\"]?blocked)");
/// dialplan.Internal.Extension("*30").Add("AGI", "agi://127.0.0.1:4573/module-black-list/add");
/// </code></example>
public sealed class DialplanBuilder
{
    private readonly List<KeyValuePair<string, string>> _globals = [];
    private readonly Dictionary<IncomingStage, DialplanLines> _incomingBeforeDial = [];
    private readonly Dictionary<string, DialplanContext> _contexts = new(StringComparer.Ordinal);

    /// <summary>Creates the builder for one module.</summary>
    /// <param name="moduleId">The module id; module contexts are prefixed with it.</param>
    /// <param name="agiBaseUrl">The FastAGI address Asterisk should dial, e.g. <c>agi://127.0.0.1:4573</c>.</param>
    public DialplanBuilder(string moduleId, string agiBaseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moduleId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agiBaseUrl);
        ModuleId = moduleId;
        AgiBaseUrl = agiBaseUrl.TrimEnd('/');
    }

    /// <summary>The contributing module.</summary>
    public string ModuleId { get; }

    /// <summary>The FastAGI address Asterisk should dial, without trailing slash, e.g. <c>agi://127.0.0.1:4573</c>.</summary>
    public string AgiBaseUrl { get; }

    /// <summary>The AGI URL of one of this module's handlers: <c>agi://127.0.0.1:4573/&lt;module-id&gt;/&lt;handler&gt;</c>.</summary>
    public string AgiUrl(string handler) => $"{AgiBaseUrl}/{ModuleId}/{handler}";

    /// <summary>Variables for <c>[globals]</c>, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Globals => _globals;

    /// <summary>Lines for <c>[modules-incoming-after-dial]</c>.</summary>
    public DialplanLines IncomingAfterDial { get; } = new();

    /// <summary>Lines for <c>[modules-outgoing]</c>.</summary>
    public DialplanLines Outgoing { get; } = new();

    /// <summary>Extensions for <c>[modules-internal]</c> (feature codes).</summary>
    public DialplanContext Internal { get; } = new("modules-internal");

    /// <summary>Extensions for <c>[modules-internal-transfer]</c>.</summary>
    public DialplanContext InternalTransfer { get; } = new("modules-internal-transfer");

    /// <summary>The module's own contexts.</summary>
    public IReadOnlyCollection<DialplanContext> Contexts => _contexts.Values;

    /// <summary>The stages of <c>[modules-incoming-before-dial]</c> this module wrote to.</summary>
    public IReadOnlyDictionary<IncomingStage, DialplanLines> IncomingBeforeDialStages => _incomingBeforeDial;

    /// <summary>Sets a global variable.</summary>
    public DialplanBuilder SetGlobal(string name, string value)
    {
        if (!DialplanText.IsValidLabel(name))
            throw new ArgumentException($"'{name}' is not a valid global variable name.", nameof(name));
        ArgumentNullException.ThrowIfNull(value);
        DialplanText.EnsureSingleLine(value, nameof(value));
        _globals.Add(new(name, value.Replace(";", "\\;", StringComparison.Ordinal)));
        return this;
    }

    /// <summary>Lines for one stage of <c>[modules-incoming-before-dial]</c>; ARG1 is the route's number.</summary>
    public DialplanLines IncomingBeforeDial(IncomingStage stage = IncomingStage.Module)
    {
        if (!_incomingBeforeDial.TryGetValue(stage, out var lines))
            _incomingBeforeDial[stage] = lines = new DialplanLines();
        return lines;
    }

    /// <summary>
    /// A context of the module's own, rendered as <c>[&lt;module-id&gt;-&lt;name&gt;]</c> so that no two
    /// modules can collide. Reach it with <see cref="DialplanContext.Name"/>.
    /// </summary>
    public DialplanContext Context(string name)
    {
        var full = $"{ModuleId}-{name}";
        if (!DialplanText.IsValidContextName(full))
            throw new ArgumentException($"'{name}' is not a valid context name: use letters, digits, '-' and '_'.", nameof(name));
        if (!_contexts.TryGetValue(full, out var context))
            _contexts[full] = context = new DialplanContext(full);
        return context;
    }
}
