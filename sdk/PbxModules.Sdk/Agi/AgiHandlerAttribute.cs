namespace PbxModules.Sdk.Agi;

/// <summary>
/// Names the AGI route of a handler class. A handler marked <c>[AgiHandler("check")]</c> in the module
/// <c>module-black-list</c> is reached from the dialplan as
/// <c>AGI(agi://127.0.0.1:4573/module-black-list/check)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class AgiHandlerAttribute : Attribute
{
    /// <summary>Declares the route name.</summary>
    /// <param name="name">Lower-case letters, digits and dashes, e.g. <c>check</c>.</param>
    public AgiHandlerAttribute(string name) => Name = name;

    /// <summary>The route name within the module.</summary>
    public string Name { get; }

    /// <summary>
    /// The handler's time budget in seconds; 0 (the default) uses the host's <c>Agi:HandlerTimeout</c>.
    /// When it runs out the token is cancelled, the host logs it and sets <c>PBXMODULES_STATUS=TIMEOUT</c>,
    /// and the call continues in the dialplan. Raise it for handlers that play prompts or record.
    /// </summary>
    public int TimeoutSeconds { get; init; }
}
