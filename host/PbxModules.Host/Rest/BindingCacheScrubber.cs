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

    /// <summary>
    /// Removes the cached entries for types of <paramref name="context"/>, then asks the framework's
    /// own caches to forget (see <see cref="ClearFrameworkCaches"/>); returns how many binding entries went.
    /// </summary>
    public static int Scrub(AssemblyLoadContext context)
    {
        var removed = ScrubBindingCaches(context);
        ClearFrameworkCaches(context);
        removed += ScrubTypeDescriptor(context);
        return removed;
    }

    /// <summary>
    /// <see cref="System.ComponentModel.TypeDescriptor"/> (asked by ApiExplorer whether a parameter
    /// type converts from a string) remembers, per type, its provider node and that its default
    /// provider is set up, in static tables that its hot-reload handler does not empty and no public
    /// API removes from. The module's entries are taken out, under the descriptor's own lock.
    /// </summary>
    private static int ScrubTypeDescriptor(AssemblyLoadContext context)
    {
        var descriptor = typeof(System.ComponentModel.TypeDescriptor);
        var reflect = descriptor.Assembly.GetType("System.ComponentModel.ReflectTypeDescriptionProvider");
        var gate = descriptor.GetField("s_commonSyncObject", AnyStatic)?.GetValue(null) ?? new object();
        var removed = 0;
        lock (gate)
        {
            // The reflection provider (one per provider node) caches each type's descriptor data.
            if (descriptor.GetField("s_providerTable", AnyStatic)?.GetValue(null) is Hashtable providers && reflect is not null)
            {
                List<object> nodes;
                lock (providers.SyncRoot) nodes = [.. providers.Values.Cast<object>().Where(v => v is not null)];
                var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
                foreach (var first in nodes)
                {
                    for (var node = first; node is not null && seen.Add(node); node = node.GetType().GetField("Next", AnyInstance)?.GetValue(node))
                    {
                        if (node.GetType().GetField("Provider", AnyInstance)?.GetValue(node) is { } provider && reflect.IsInstanceOfType(provider) && seen.Add(provider))
                            removed += ScrubObject(provider, context, clearStringKeyed: false);
                    }
                }
            }

            foreach (var field in descriptor.GetFields(AnyStatic).Concat(reflect?.GetFields(AnyStatic) ?? []))
            {
                if (field.Name == "s_providerTable" || field.GetValue(null) is not IDictionary dictionary) continue;
                List<Type> keys;
                if (dictionary is Hashtable table)
                {
                    lock (table.SyncRoot) keys = [.. table.Keys.OfType<Type>().Where(t => BelongsTo(t, context))];
                }
                else
                {
                    keys = [.. dictionary.Keys.OfType<Type>().Where(t => BelongsTo(t, context))];
                }
                foreach (var key in keys)
                {
                    dictionary.Remove(key);
                    removed++;
                }
            }
        }
        return removed;
    }

    /// <summary>
    /// System.Text.Json keeps a process-wide cache of member accessors (keyed by the module's types,
    /// expiring only when touched again later), and other framework assemblies keep similar ones.
    /// Each declares how to empty them for hot reload — a static <c>ClearCache(Type[]?)</c> named by
    /// <see cref="System.Reflection.Metadata.MetadataUpdateHandlerAttribute"/> — and that is exactly "these types changed, forget
    /// them". Calling it costs a refill of those caches, once per module disable.
    /// </summary>
    public static void ClearFrameworkCaches(AssemblyLoadContext context)
    {
        var types = context.Assemblies.SelectMany(SafeTypes).ToArray();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsCollectible || assembly.IsDynamic) continue;
            var name = assembly.GetName().Name ?? "";
            if (!name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("Microsoft.", StringComparison.Ordinal)) continue;
            foreach (var handler in assembly.GetCustomAttributes<System.Reflection.Metadata.MetadataUpdateHandlerAttribute>())
            {
                var clear = handler.HandlerType.GetMethod("ClearCache", AnyStatic, [typeof(Type[])]);
                try
                {
                    clear?.Invoke(null, [types]);
                }
                catch (TargetInvocationException)
                {
                    // A cache that cannot be cleared keeps the module's memory, not its behaviour.
                }
            }
        }
    }

    private static Type[] SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return [.. ex.Types.OfType<Type>()];
        }
    }

    private static int ScrubBindingCaches(AssemblyLoadContext context)
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
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var owner in Owners())
        {
            foreach (var field in owner.GetFields(AnyStatic))
            {
                var value = field.FieldType.IsGenericType && field.FieldType.GetGenericTypeDefinition() == typeof(Lazy<>)
                    ? field.GetValue(null) is { } lazy && (bool)lazy.GetType().GetProperty(nameof(Lazy<object>.IsValueCreated))!.GetValue(lazy)!
                        ? lazy.GetType().GetProperty(nameof(Lazy<object>.Value))!.GetValue(lazy)
                        : null
                    : field.GetValue(null);
                if (value is not null && value.GetType().Name.StartsWith(CacheTypeName, StringComparison.Ordinal) && seen.Add(value))
                    yield return value;
            }
        }
    }

    // The cache is shared source compiled into several ASP.NET Core assemblies (routing, ApiExplorer,
    // MVC abstractions…), each with its own copy: a process-wide singleton (.NET 10: static Lazy
    // fields of the cache type itself) or a static field of its user (earlier: RequestDelegateFactory).
    private static IEnumerable<Type> Owners()
    {
        yield return typeof(RequestDelegateFactory);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || assembly.IsCollectible || !(assembly.GetName().Name ?? "").StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)) continue;
            if (assembly.GetType($"Microsoft.AspNetCore.Http.{CacheTypeName}") is { } cache) yield return cache;
        }
    }

    private const string CacheTypeName = "ParameterBindingMethodCache";

    /// <summary>
    /// Removes from every dictionary field of <paramref name="cache"/> the entries whose key names a
    /// type of <paramref name="context"/> (a type, a member or parameter of one, or a tuple holding
    /// one), and empties string-keyed ones (per-description caches whose values hold such types).
    /// For caches that are instance fields of long-lived framework services (the OpenAPI ones).
    /// </summary>
    public static int ScrubObject(object cache, AssemblyLoadContext context, bool clearStringKeyed = true)
    {
        var removed = 0;
        for (var type = cache.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(AnyInstance | BindingFlags.DeclaredOnly))
            {
                if (field.GetValue(cache) is not IDictionary dictionary) continue;
                var keyType = field.FieldType.IsGenericType ? field.FieldType.GetGenericArguments()[0] : null;
                if (keyType == typeof(string) && clearStringKeyed)
                {
                    removed += dictionary.Count;
                    dictionary.Clear();
                    continue;
                }
                foreach (var key in dictionary.Keys.Cast<object>().Where(k => KeyBelongsTo(k, context, depth: 0)).ToList())
                {
                    dictionary.Remove(key);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static bool KeyBelongsTo(object? key, AssemblyLoadContext context, int depth) => key switch
    {
        null => false,
        Type type => BelongsTo(type, context),
        ParameterInfo parameter => parameter.Member.DeclaringType is { } declaring && BelongsTo(declaring, context) || BelongsTo(parameter.ParameterType, context),
        MemberInfo member => member.DeclaringType is { } declaring && BelongsTo(declaring, context),
        string => false,
        _ when depth < 2 && key.GetType() is { IsPrimitive: false, IsEnum: false } keyType
            => keyType.GetFields(AnyInstance).Any(f => KeyBelongsTo(f.GetValue(key), context, depth + 1)),
        _ => false,
    };

    private static bool BelongsTo(Type type, AssemblyLoadContext context)
    {
        if (type.HasElementType && type.GetElementType() is { } element && BelongsTo(element, context)) return true;
        if (type.IsGenericType && type.GetGenericArguments().Any(a => BelongsTo(a, context))) return true;
        return type.Assembly.IsCollectible && AssemblyLoadContext.GetLoadContext(type.Assembly) == context;
    }
}
