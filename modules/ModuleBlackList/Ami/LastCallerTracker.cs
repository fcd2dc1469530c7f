using System.Collections.Concurrent;

namespace ModuleBlackList.Ami;

/// <summary>The last inbound caller who rang each extension, for the <c>*32</c> feature code.</summary>
public sealed class LastCallerTracker
{
    private readonly ConcurrentDictionary<string, (string Caller, DateTime At)> _last = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="caller"/> rang <paramref name="extension"/>.</summary>
    public void Record(string extension, string caller, DateTime at) => _last[extension] = (caller, at);

    /// <summary>The last caller of an extension, or null.</summary>
    public (string Caller, DateTime At)? Get(string extension) => _last.TryGetValue(extension, out var last) ? last : null;

    /// <summary>How many extensions are tracked.</summary>
    public int Count => _last.Count;
}
