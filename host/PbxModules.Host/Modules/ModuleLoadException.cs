namespace PbxModules.Host.Modules;

/// <summary>A module could not be loaded or started; the message is written for the administrator.</summary>
public sealed class ModuleLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModuleLoadException(string message, Exception? inner = null) : base(message, inner) { }
}
