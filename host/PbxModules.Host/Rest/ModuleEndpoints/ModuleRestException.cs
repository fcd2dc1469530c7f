namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>A module's REST resources cannot be mapped; the message says why and what to change.</summary>
public sealed class ModuleRestException(string message) : Exception(message);
