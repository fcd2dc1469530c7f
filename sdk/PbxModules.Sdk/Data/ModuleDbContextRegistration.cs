namespace PbxModules.Sdk.Data;

/// <summary>
/// Records that a module registered a <see cref="ModuleDbContext"/>, so the host can migrate it.
/// Added by <see cref="Modules.ModuleServiceCollectionExtensions.AddModuleDbContext{TContext}"/>.
/// </summary>
/// <param name="ContextType">The module's context type.</param>
public sealed record ModuleDbContextRegistration(Type ContextType);
