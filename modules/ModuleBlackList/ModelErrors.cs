using System.ComponentModel.DataAnnotations;

namespace ModuleBlackList;

/// <summary>Data-annotation validation as the API reports it: messages by camelCase field name.</summary>
internal static class ModelErrors
{
    /// <summary>Null when <paramref name="value"/> is valid; otherwise its messages by field.</summary>
    /// <param name="value">The object to validate (its properties too).</param>
    /// <param name="services">What validation attributes may ask for through <see cref="ValidationContext.GetService"/>.</param>
    public static Dictionary<string, string[]>? Of(object value, IServiceProvider? services = null)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(value, new ValidationContext(value, services, null), results, validateAllProperties: true)) return null;
        return results
            .SelectMany(r => r.MemberNames.DefaultIfEmpty(""), (r, m) => (Field: m.Length == 0 ? "" : char.ToLowerInvariant(m[0]) + m[1..], Message: r.ErrorMessage ?? "is invalid."))
            .GroupBy(x => x.Field)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray());
    }
}
