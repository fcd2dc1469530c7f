using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace TestModules.Rest;

/// <summary>A number on the list.</summary>
public sealed record NumberRecord(int Id, string Number, string Description);

/// <summary>The body of create and update.</summary>
public sealed class NumberInput
{
    /// <summary>3 to 15 digits, optionally after a '+'.</summary>
    [Required]
    [RegularExpression(@"^\+?[0-9]{3,15}$", ErrorMessage = "must be 3 to 15 digits, optionally after '+'.")]
    public string? Number { get; set; }

    /// <summary>Free text.</summary>
    [StringLength(100)]
    public string? Description { get; set; }
}

/// <summary>The body of patch: only what changes.</summary>
public sealed class NumberPatch
{
    /// <summary>A new description.</summary>
    [StringLength(100)]
    public string? Description { get; set; }
}

/// <summary>The module's data: a thread-safe in-memory list, seeded with 45 numbers.</summary>
public sealed class NumberStore
{
    private readonly Lock _lock = new();
    private readonly List<NumberRecord> _numbers = [];
    private int _nextId = 1;

    /// <summary>Seeds 45 numbers: +1555000001 … +1555000045, descriptions "Seed 1" … "Seed 45".</summary>
    public NumberStore()
    {
        for (var i = 1; i <= 45; i++) Add($"+1555{i.ToString("000000", CultureInfo.InvariantCulture)}", $"Seed {i}");
    }

    /// <summary>A snapshot of all numbers.</summary>
    public IReadOnlyList<NumberRecord> All()
    {
        lock (_lock) return [.. _numbers];
    }

    /// <summary>One number, or null.</summary>
    public NumberRecord? Find(int id)
    {
        lock (_lock) return _numbers.FirstOrDefault(n => n.Id == id);
    }

    /// <summary>Adds a number; null when it is on the list already.</summary>
    public NumberRecord? Add(string number, string? description)
    {
        lock (_lock)
        {
            if (_numbers.Any(n => n.Number == number)) return null;
            var record = new NumberRecord(_nextId++, number, description ?? "");
            _numbers.Add(record);
            return record;
        }
    }

    /// <summary>Replaces a number; null when there is no such id.</summary>
    public NumberRecord? Replace(int id, Func<NumberRecord, NumberRecord> change)
    {
        lock (_lock)
        {
            var index = _numbers.FindIndex(n => n.Id == id);
            if (index < 0) return null;
            return _numbers[index] = change(_numbers[index]);
        }
    }

    /// <summary>Removes a number; false when there is no such id.</summary>
    public bool Remove(int id)
    {
        lock (_lock) return _numbers.RemoveAll(n => n.Id == id) > 0;
    }
}
