using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// Validates request bodies by their DataAnnotations (and <see cref="IValidatableObject"/>), naming
/// fields as they appear in JSON. One per module endpoint set: the per-type cache dies with the
/// module, unlike <see cref="Validator"/>, whose attribute store is process-wide and would keep a
/// disabled module's types (and its load context) alive.
/// </summary>
internal sealed class DtoValidator(JsonSerializerOptions json)
{
    private readonly ConcurrentDictionary<Type, PropertyRule[]> _rules = new();

    /// <summary>Adds the errors of <paramref name="value"/> (an object or a collection of objects) to <paramref name="errors"/>.</summary>
    public void Validate(object? value, Dictionary<string, List<string>> errors, string prefix = "")
    {
        if (value is null or string) return;
        if (value is IEnumerable items and not IDictionary)
        {
            var index = 0;
            foreach (var item in items) Validate(item, errors, $"{prefix}[{index++}].");
            return;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum) return;
        var before = errors.Count;
        foreach (var rule in _rules.GetOrAdd(type, Build))
        {
            var propertyValue = rule.Property.GetValue(value);
            var context = new ValidationContext(value) { MemberName = rule.Property.Name, DisplayName = rule.JsonName };
            foreach (var attribute in rule.Attributes)
            {
                var result = attribute.GetValidationResult(propertyValue, context);
                if (result is not null && result != ValidationResult.Success)
                    Add(errors, prefix + rule.JsonName, result.ErrorMessage ?? $"{rule.JsonName} is invalid.");
            }
        }

        // Object-level rules run only once the fields are individually valid, as MVC does.
        if (errors.Count == before && value is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(value)))
            {
                var members = result.MemberNames.Any() ? result.MemberNames.Select(JsonName) : [""];
                foreach (var member in members) Add(errors, prefix + member, result.ErrorMessage ?? "is invalid.");
            }
        }
    }

    private PropertyRule[] Build(Type type)
        => [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)
            .Select(p => new PropertyRule(p, JsonName(p), [.. p.GetCustomAttributes<ValidationAttribute>(inherit: true)]))
            .Where(r => r.Attributes.Length > 0)];

    private string JsonName(PropertyInfo property)
        => property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonName(property.Name);

    private string JsonName(string member) => json.PropertyNamingPolicy?.ConvertName(member) ?? member;

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
    }

    private sealed record PropertyRule(PropertyInfo Property, string JsonName, ValidationAttribute[] Attributes);
}
