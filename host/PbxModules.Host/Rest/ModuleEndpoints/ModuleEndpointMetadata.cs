namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>Marks an endpoint as a module's: which module, and the permission it needs.</summary>
public sealed record ModuleEndpointMetadata(string ModuleId, string Permission);
