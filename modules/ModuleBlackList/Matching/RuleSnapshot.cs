using System.Text;
using ModuleBlackList.Models;

namespace ModuleBlackList.Matching;

/// <summary>
/// An immutable, compact set of rules (struct-of-arrays): per rule a packed key (<see cref="RuleKey"/>),
/// its id and a pattern reference, plus an open-addressing table from key to the first rule with it.
/// No object per rule: a pattern equal to its canonical form (<c>+digits</c> or <c>digits</c>, with
/// <c>*</c> for a prefix) costs nothing, any other pattern a few UTF-8 bytes in one shared array;
/// expiry, scope and canonical forms that do not pack into a key live in side tables only for the
/// rules that have them. Rules sharing a key are contiguous, in the order they were added.
/// </summary>
internal sealed class RuleSnapshot
{
    private const int PlusCanonical = -1;
    private const int BareCanonical = -2;

    private readonly ulong[] _keys;
    private readonly int[] _ids;
    private readonly int[] _patterns;
    private readonly long[]? _expires;
    private readonly byte[] _arena;
    private readonly Dictionary<int, string[]>? _scopes;
    private readonly Dictionary<int, string>? _odd;
    private readonly Dictionary<string, int[]>?[] _oddByGroup;
    private readonly int[] _table;
    private readonly int _shift;
    private readonly int[] _sortedIds;

    public static readonly RuleSnapshot Empty = new Builder().Build();

    private RuleSnapshot(ulong[] keys, int[] ids, int[] patterns, long[]? expires, byte[] arena, Dictionary<int, string[]>? scopes, Dictionary<int, string>? odd)
    {
        _keys = keys;
        _ids = ids;
        _patterns = patterns;
        _expires = expires;
        _arena = arena;
        _scopes = scopes;
        _odd = odd;
        _oddByGroup = new Dictionary<string, int[]>?[4];
        var bits = Math.Max(4, 64 - ulong.LeadingZeroCount((ulong)(keys.Length + keys.Length / 2)));
        _shift = 64 - (int)bits;
        _table = new int[1 << (int)bits];
        var mask = _table.Length - 1;
        for (var row = 0; row < keys.Length; row++)
        {
            var key = keys[row];
            var group = RuleKey.GroupOf(key);
            if (RuleKey.IsOdd(key))
            {
                var map = _oddByGroup[group] ??= new Dictionary<string, int[]>(StringComparer.Ordinal);
                var normalized = odd![row];
                map[normalized] = map.TryGetValue(normalized, out var rows) ? [.. rows, row] : [row];
                continue;
            }
            if (RuleKey.IsPrefix(key) && RuleKey.LengthOf(key) is var length)
                PrefixLengths[RuleKey.IsAllow(key) ? 1 : 0] |= 1UL << length;
            if (row > 0 && keys[row - 1] == key) continue;
            var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
            while (_table[slot] != 0) slot = (slot + 1) & mask;
            _table[slot] = row + 1;
        }
        for (var g = 0; g < 4; g++)
            if (_oddByGroup[g] is { } map)
                foreach (var normalized in map.Keys)
                    if (g is RuleKey.BlockPrefix or RuleKey.AllowPrefix) LongestOddPrefix[g == RuleKey.AllowPrefix ? 1 : 0] = Math.Max(LongestOddPrefix[g == RuleKey.AllowPrefix ? 1 : 0], normalized.Length);
        _sortedIds = [.. ids];
        Array.Sort(_sortedIds);
    }

    /// <summary>How many rules.</summary>
    public int Count => _ids.Length;

    /// <summary>Bit n set: a packed prefix rule of n digits exists; [0] block, [1] allow.</summary>
    public ulong[] PrefixLengths { get; } = new ulong[2];

    /// <summary>The longest prefix that did not pack; [0] block, [1] allow.</summary>
    public int[] LongestOddPrefix { get; } = new int[2];

    /// <summary>True when a rule of that group did not pack (only then the slow path is looked at).</summary>
    public bool HasOdd(int group) => _oddByGroup[group] is not null;

    public bool Contains(int id) => Array.BinarySearch(_sortedIds, id) >= 0;

    public int IdOf(int row) => _ids[row];

    public RuleKind KindOf(int row) => RuleKey.IsAllow(_keys[row]) ? RuleKind.Allow : RuleKind.Block;

    public DateTime? ExpiresOf(int row) => _expires is { } e && e[row] != 0 ? new DateTime(e[row], DateTimeKind.Utc) : null;

    /// <summary>The pattern as written (decoded on demand: the lookup itself allocates nothing).</summary>
    public string PatternOf(int row)
    {
        var p = _patterns[row];
        if (p >= 0) return Encoding.UTF8.GetString(_arena, p + 2, _arena[p] | (_arena[p + 1] << 8));
        var canonical = CanonicalOf(row);
        var star = RuleKey.IsPrefix(_keys[row]) ? "*" : "";
        return p == PlusCanonical ? "+" + canonical + star : canonical + star;
    }

    /// <summary>The canonical form the rule matches on.</summary>
    public string CanonicalOf(int row) => RuleKey.IsOdd(_keys[row]) ? _odd![row] : RuleKey.DigitsOf(_keys[row]);

    /// <summary>The first rule with this packed key that applies (not hidden, not expired, in scope); -1 when none.</summary>
    public int Find(ulong key, ReadOnlySpan<char> did, long now, IReadOnlySet<int>? hidden)
    {
        var mask = _table.Length - 1;
        var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
        int entry;
        while ((entry = _table[slot]) != 0)
        {
            if (_keys[entry - 1] == key)
            {
                for (var row = entry - 1; row < _keys.Length && _keys[row] == key; row++)
                    if (Applies(row, did, now, hidden)) return row;
                return -1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /// <summary>The slow path for canonical forms that do not pack (too long, not digits).</summary>
    public int FindOdd(int group, ReadOnlySpan<char> normalized, ReadOnlySpan<char> did, long now, IReadOnlySet<int>? hidden)
    {
        if (_oddByGroup[group] is not { } map || !map.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(normalized, out var rows)) return -1;
        foreach (var row in rows)
            if (Applies(row, did, now, hidden)) return row;
        return -1;
    }

    private bool Applies(int row, ReadOnlySpan<char> did, long now, IReadOnlySet<int>? hidden)
    {
        if (_expires is { } e && e[row] != 0 && e[row] <= now) return false;
        if (hidden is { Count: > 0 } && hidden.Contains(_ids[row])) return false;
        if (_scopes is null || !_scopes.TryGetValue(row, out var scope)) return true;
        foreach (var s in scope)
            if (did.SequenceEqual(s)) return true;
        return false;
    }

    /// <summary>Collects rules, then packs them into a snapshot.</summary>
    public sealed class Builder
    {
        private ulong[] _keys = new ulong[16];
        private int[] _ids = new int[16];
        private int[] _patterns = new int[16];
        private long[] _expires = new long[16];
        private byte[] _arena = new byte[64];
        private int _arenaLength;
        private bool _anyExpiry;
        private readonly Dictionary<int, string[]> _scopes = [];
        private readonly Dictionary<int, string> _odd = [];
        private int _count;

        public int Count => _count;

        /// <summary>Adds an enabled rule with a canonical form.</summary>
        public void Add(int id, string pattern, string normalized, bool isPrefix, RuleKind kind, DateTime? expiresAt, string[]? scope)
        {
            var key = RuleKey.Pack(normalized, isPrefix, kind);
            var row = Append(key, id, expiresAt?.Ticks ?? 0, scope);
            if (RuleKey.IsOdd(key)) _odd[row] = normalized;
            _patterns[row] = EncodePattern(pattern.AsSpan().Trim(), normalized, isPrefix);
        }

        /// <summary>Copies a rule of another snapshot as it is (compaction).</summary>
        public void AddFrom(RuleSnapshot source, int sourceRow)
        {
            var row = Append(source._keys[sourceRow], source._ids[sourceRow], source._expires?[sourceRow] ?? 0, source._scopes?.GetValueOrDefault(sourceRow));
            if (source._odd?.TryGetValue(sourceRow, out var odd) == true) _odd[row] = odd;
            var p = source._patterns[sourceRow];
            _patterns[row] = p < 0 ? p : Store(source._arena.AsSpan(p, 2 + (source._arena[p] | (source._arena[p + 1] << 8))));
        }

        private int Append(ulong key, int id, long expires, string[]? scope)
        {
            if (_count == _keys.Length)
            {
                var size = _count * 2;
                Array.Resize(ref _keys, size);
                Array.Resize(ref _ids, size);
                Array.Resize(ref _patterns, size);
                Array.Resize(ref _expires, size);
            }
            var row = _count++;
            _keys[row] = key;
            _ids[row] = id;
            _expires[row] = expires;
            _anyExpiry |= expires != 0;
            if (scope is { Length: > 0 }) _scopes[row] = scope;
            return row;
        }

        private int EncodePattern(ReadOnlySpan<char> pattern, string normalized, bool isPrefix)
        {
            var body = isPrefix && pattern.EndsWith('*') ? pattern[..^1] : pattern;
            if (isPrefix == pattern.EndsWith('*'))
            {
                if (body.SequenceEqual(normalized)) return BareCanonical;
                if (body.Length == normalized.Length + 1 && body[0] == '+' && body[1..].SequenceEqual(normalized)) return PlusCanonical;
            }
            var length = Encoding.UTF8.GetByteCount(pattern);
            Span<byte> encoded = length <= 256 ? stackalloc byte[2 + length] : new byte[2 + length];
            encoded[0] = (byte)length;
            encoded[1] = (byte)(length >> 8);
            Encoding.UTF8.GetBytes(pattern, encoded[2..]);
            return Store(encoded);
        }

        private int Store(ReadOnlySpan<byte> encoded)
        {
            if (_arenaLength + encoded.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + encoded.Length));
            encoded.CopyTo(_arena.AsSpan(_arenaLength));
            var at = _arenaLength;
            _arenaLength += encoded.Length;
            return at;
        }

        /// <summary>Sorts by key (stable: rules sharing a key keep the order they were added in) and packs.</summary>
        public RuleSnapshot Build()
        {
            var n = _count;
            var keys = _keys.AsSpan(0, n).ToArray();
            var order = new int[n];
            for (var i = 0; i < n; i++) order[i] = i;
            Array.Sort(keys, order);
            for (var start = 0; start < n;)
            {
                var end = start + 1;
                while (end < n && keys[end] == keys[start]) end++;
                if (end - start > 1) Array.Sort(order, start, end - start);
                start = end;
            }
            var ids = new int[n];
            var patterns = new int[n];
            var expires = _anyExpiry ? new long[n] : null;
            Dictionary<int, string[]>? scopes = _scopes.Count > 0 ? new(_scopes.Count) : null;
            Dictionary<int, string>? odd = _odd.Count > 0 ? new(_odd.Count) : null;
            for (var row = 0; row < n; row++)
            {
                var from = order[row];
                ids[row] = _ids[from];
                patterns[row] = _patterns[from];
                if (expires is not null) expires[row] = _expires[from];
                if (scopes is not null && _scopes.TryGetValue(from, out var scope)) scopes[row] = scope;
                if (odd is not null && _odd.TryGetValue(from, out var normalized)) odd[row] = normalized;
            }
            return new RuleSnapshot(keys, ids, patterns, expires, _arena.AsSpan(0, _arenaLength).ToArray(), scopes, odd);
        }
    }
}
