using System.Collections;
using System.Reflection;
using System.Runtime.Loader;

namespace PbxModules.Host.Rest;

/// <summary>
/// <see cref="RequestDelegateFactory"/> keeps one process-wide <c>ParameterBindingMethodCache</c>
/// (and the OpenAPI/ApiExplorer metadata providers keep theirs): dictionaries keyed by every
/// parameter type it ever looked at for <c>TryParse</c>/<c>BindAsync</c>, holding the types and their
/// methods forever. For a module's types that would pin the module's load context after it is
/// disabled. This removes, after a module is wired out, the entries whose type belongs to its load
/// context (directly, or as an element or generic argument).
/// </summary>
/// <remarks>
/// The caches are private to ASP.NET Core, so they are found by reflection and by shape (instance
/// dictionaries keyed by <see cref="Type"/> inside a field typed <c>ParameterBindingMethodCache</c>).
/// If a future ASP.NET Core renames them this finds nothing and returns 0: modules still disable
/// cleanly, only their memory is not reclaimed; the unload test notices.
/// </remarks>
internal static class BindingCacheScrubber
{
    private const BindingFlags AnyStatic = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>Removes the cached entries for types of <paramref name="context"/>; returns how many.</summary>
    public static int Scrub(AssemblyLoadContext context)
    {
        var removed = 0;
        foreach (var cache in FindCaches())
        {
            foreach (var field in cache.GetType().GetFields(AnyInstance))
            {
                if (field.GetValue(cache) is not IDictionary dictionary) continue;
                var keyType = field.FieldType.IsGenericType ? field.FieldType.GetGenericArguments()[0] : null;
                if (keyType != typeof(Type)) continue;
                foreach (var key in dictionary.Keys.Cast<Type>().Where(t => BelongsTo(t, context)).ToList())
                {
                    dictionary.Remove(key);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static IEnumerable<object> FindCaches()
    {
        foreach (var owner in Owners())
        {
            foreach (var field in owner.GetFields(AnyStatic))
            {
                if (field.FieldType.Name.StartsWith("ParameterBindingMethodCache", StringComparison.Ordinal) && field.GetValue(null) is { } cache)
                    yield return cache;
            }
        }
    }

    private static IEnumerable<Type> Owners()
    {
        yield return typeof(RequestDelegateFactory);
        // ApiExplorer's minimal-API description provider keeps a static cache of its own.
        if (Type.GetType("Microsoft.AspNetCore.Mvc.ApiExplorer.EndpointMetadataApiDescriptionProvider, Microsoft.AspNetCore.Mvc.ApiExplorer") is { } explorer)
            yield return explorer;
    }

    private static bool BelongsTo(Type type, AssemblyLoadContext context)
    {
        if (type.HasElementType && type.GetElementType() is { } element && BelongsTo(element, context)) return true;
        if (type.IsGenericType && type.GetGenericArguments().Any(a => BelongsTo(a, context))) return true;
        return type.Assembly.IsCollectible && AssemblyLoadContext.GetLoadContext(type.Assembly) == context;
    }
}
