namespace PbxModules.Sdk.Data;

/// <summary>
/// Records that a module registered a <see cref="ModuleDbContext"/>, so the host can migrate it.
/// Internal (visible to the host): only the helper writes it.
/// Added by <see cref="Modules.ModuleServiceCollectionExtensions.AddModuleDbContext{TContext}"/>.
/// </summary>
/// <param name="ContextType">The module's context type.</param>
internal sealed record ModuleDbContextRegistration(Type ContextType);
