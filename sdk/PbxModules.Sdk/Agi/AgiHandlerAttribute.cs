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
}
