using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace PbxModules.Sdk.Rest;

/// <summary>
/// The query string of a getList call: <c>?limit=20&amp;offset=40&amp;search=555&amp;order=-number</c>.
/// Take it as a parameter of a <c>GET</c> method and the host binds and validates it: a value that
/// is not a number answers 400, a number out of range (or an unusable <c>order</c>) answers 422 with
/// the field's message, before the method runs.
/// </summary>
/// <remarks>
/// <c>order</c> names one field, ascending (<c>number</c>, <c>number:asc</c>) or descending
/// (<c>-number</c>, <c>number:desc</c>); which fields exist is the resource's business, so check
/// <see cref="OrderField"/> and answer <see cref="InvalidOrder"/> for an unknown one.
/// </remarks>
public sealed class ApiListQuery
{
    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 20;

    /// <summary>The largest page a client may ask for.</summary>
    public const int MaxLimit = 100;

    /// <summary>The longest search text accepted.</summary>
    public const int MaxSearchLength = 200;

    /// <summary>How many records per page (1–100, default 20).</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>How many records to skip (0 or more).</summary>
    public int Offset { get; init; }

    /// <summary>Free text to filter on; null when absent or blank. What it matches is up to the resource.</summary>
    public string? Search { get; init; }

    /// <summary>The field to order by, without direction; null when absent.</summary>
    public string? OrderField { get; init; }

    /// <summary>True when <see cref="OrderField"/> is to be sorted descending.</summary>
    public bool Descending { get; init; }

    /// <summary>Minimal-API binding: reads and validates the query string of the request.</summary>
    /// <exception cref="PbxApiException">400 or 422 for a bad value.</exception>
    public static ValueTask<ApiListQuery?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<ApiListQuery?>(Parse(context.Request.Query));
    }

    /// <summary>Reads and validates <c>limit</c>, <c>offset</c>, <c>search</c> and <c>order</c>.</summary>
    /// <exception cref="PbxApiException">400 when a value is repeated or not a number, 422 when out of range.</exception>
    public static ApiListQuery Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>();
        var limit = ReadInt(query, "limit", DefaultLimit);
        var offset = ReadInt(query, "offset", 0);
        var search = ReadSingle(query, "search");
        var order = ReadSingle(query, "order");

        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"must be between 1 and {MaxLimit}; got {limit}."];
        if (offset < 0) errors["offset"] = [$"must be 0 or more; got {offset}."];
        if (search is { Length: > MaxSearchLength }) errors["search"] = [$"must be at most {MaxSearchLength} characters."];

        string? field = null;
        var descending = false;
        if (!string.IsNullOrWhiteSpace(order))
        {
            if (!TryParseOrder(order.Trim(), out field, out descending))
                errors["order"] = ["must be a field name, optionally prefixed with '-' or suffixed with ':asc' or ':desc' (e.g. 'number', '-number', 'number:desc')."];
        }

        if (errors.Count > 0) throw new PbxApiException(PbxApiResult.ValidationFailed(errors));
        return new ApiListQuery
        {
            Limit = limit,
            Offset = offset,
            Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
            OrderField = field,
            Descending = descending,
        };
    }

    /// <summary>One page of <paramref name="matching"/> (already filtered and ordered), with total and hasMore.</summary>
    public PbxApiResult ToPage<T>(IEnumerable<T> matching)
    {
        ArgumentNullException.ThrowIfNull(matching);
        var all = matching as IReadOnlyCollection<T> ?? [.. matching];
        List<T> page = [.. all.Skip(Offset).Take(Limit)];
        return PbxApiResult.Page(page, all.Count, Limit, Offset);
    }

    /// <summary>One page whose records were fetched already (e.g. by a database query with Skip/Take), with the total count.</summary>
    public PbxApiResult ToPage<T>(IReadOnlyList<T> page, int total) => PbxApiResult.Page(page, total, Limit, Offset);

    /// <summary>The 422 answer for an <c>order</c> field the resource does not sort by.</summary>
    public PbxApiResult InvalidOrder(params string[] allowedFields)
        => PbxApiResult.ValidationFailed(new Dictionary<string, string[]>
        {
            ["order"] = [$"cannot order by '{OrderField}'; use one of: {string.Join(", ", allowedFields)}."],
        });

    private static bool TryParseOrder(string order, out string? field, out bool descending)
    {
        descending = false;
        field = order;
        if (order.StartsWith('-'))
        {
            descending = true;
            field = order[1..];
        }
        else if (order.EndsWith(":desc", StringComparison.OrdinalIgnoreCase))
        {
            descending = true;
            field = order[..^5];
        }
        else if (order.EndsWith(":asc", StringComparison.OrdinalIgnoreCase))
        {
            field = order[..^4];
        }
        return field.Length is > 0 and <= 64
            && char.IsAsciiLetter(field[0])
            && field.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');
    }

    private static int ReadInt(IQueryCollection query, string name, int fallback)
    {
        var text = ReadSingle(query, name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PbxApiException(PbxApiResult.BadRequest($"Query parameter '{name}' must be an integer; got '{text}'."));
    }

    private static string? ReadSingle(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0) return null;
        if (values.Count > 1) throw new PbxApiException(PbxApiResult.BadRequest($"Query parameter '{name}' is given {values.Count} times; give it once."));
        return values[0];
    }
}
