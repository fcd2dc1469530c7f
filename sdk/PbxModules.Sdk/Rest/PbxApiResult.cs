using System.Text.Json.Serialization;

namespace PbxModules.Sdk.Rest;

/// <summary>
/// The body of every <c>/pbxcore/api/v3</c> response:
/// <c>{ "success": true, "data": …, "messages": { "error": [], "warning": [] }, "httpCode": 200, "pagination": … }</c>.
/// Build it with the static factories; the host sends <see cref="HttpCode"/> as the status code.
/// </summary>
public sealed class PbxApiResult
{
    /// <summary>True when the request did what was asked.</summary>
    [JsonPropertyName("success")] public bool Success { get; init; }

    /// <summary>The payload: a record, a list, or null.</summary>
    [JsonPropertyName("data")] public object? Data { get; init; }

    /// <summary>Messages for people: errors, warnings and, for validation failures, field errors.</summary>
    [JsonPropertyName("messages")] public ApiMessages Messages { get; init; } = new();

    /// <summary>The HTTP status code of the response.</summary>
    [JsonPropertyName("httpCode")] public int HttpCode { get; init; } = 200;

    /// <summary>For lists: total, limit, offset and whether more follow.</summary>
    [JsonPropertyName("pagination")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PbxPagination? Pagination { get; init; }

    /// <summary>200 with a payload.</summary>
    public static PbxApiResult Ok(object? data = null) => new() { Success = true, Data = data, HttpCode = 200 };

    /// <summary>200 with one page of a list.</summary>
    public static PbxApiResult Page<T>(IReadOnlyList<T> items, int total, int limit, int offset)
        => new() { Success = true, Data = items, HttpCode = 200, Pagination = new PbxPagination(total, limit, offset, offset + items.Count < total) };

    /// <summary>
    /// 200 that says, for people, what was done (<see cref="ApiMessages.Info"/>), e.g.
    /// <c>Done("Rule 7 removed.")</c>; with the record it left, if any.
    /// </summary>
    /// <param name="message">What was done, one sentence.</param>
    /// <param name="data">The payload, or null.</param>
    public static PbxApiResult Done(string message, object? data = null)
        => new() { Success = true, Data = data, HttpCode = 200, Messages = new ApiMessages { Info = [message] } };

    /// <summary>201 with the created record.</summary>
    public static PbxApiResult Created(object? data) => new() { Success = true, Data = data, HttpCode = 201 };

    /// <summary>400: the request is malformed.</summary>
    public static PbxApiResult BadRequest(string message) => Fail(400, message);

    /// <summary>401: no valid credentials were presented.</summary>
    public static PbxApiResult Unauthorized(string message) => Fail(401, message);

    /// <summary>403: the caller is known but lacks the permission.</summary>
    public static PbxApiResult Forbidden(string message) => Fail(403, message);

    /// <summary>404: no such record or resource.</summary>
    public static PbxApiResult NotFound(string message) => Fail(404, message);

    /// <summary>409: the request conflicts with the current state (duplicate, vetoed).</summary>
    public static PbxApiResult Conflict(string message) => Fail(409, message);

    /// <summary>422: the body did not validate; one or more messages per field.</summary>
    public static PbxApiResult ValidationFailed(IReadOnlyDictionary<string, string[]> fieldErrors)
        => new()
        {
            Success = false,
            HttpCode = 422,
            Messages = new ApiMessages
            {
                Error = [.. fieldErrors.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}"))],
                Fields = fieldErrors.ToDictionary(kv => kv.Key, kv => kv.Value),
            },
        };

    /// <summary>422 for one field.</summary>
    public static PbxApiResult ValidationFailed(string field, string message)
        => ValidationFailed(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>500: something broke; say what to do about it.</summary>
    public static PbxApiResult ServerError(string message) => Fail(500, message);

    /// <summary>A failure with the given status code and message, and a payload when the caller needs one (e.g. a report of what was refused).</summary>
    /// <param name="httpCode">The status code, 4xx or 5xx.</param>
    /// <param name="message">What went wrong and what to do about it.</param>
    /// <param name="data">The payload, or null.</param>
    public static PbxApiResult Fail(int httpCode, string message, object? data = null)
        => new() { Success = false, HttpCode = httpCode, Data = data, Messages = new ApiMessages { Error = [message] } };

    /// <summary>
    /// This result with <paramref name="warnings"/> added to <see cref="ApiMessages.Warning"/>
    /// (after the ones it has): what went right but deserves attention, e.g. rows an import skipped.
    /// </summary>
    /// <param name="warnings">The warnings, in order; none leaves the result as it is.</param>
    public PbxApiResult WithWarnings(IEnumerable<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        return new()
        {
            Success = Success,
            Data = Data,
            HttpCode = HttpCode,
            Pagination = Pagination,
            Messages = new ApiMessages
            {
                Error = [.. Messages.Error],
                Warning = [.. Messages.Warning, .. warnings],
                Info = [.. Messages.Info],
                Fields = Messages.Fields,
            },
        };
    }
}

/// <summary>Messages in a <see cref="PbxApiResult"/>.</summary>
public sealed class ApiMessages
{
    /// <summary>What went wrong, for people.</summary>
    [JsonPropertyName("error")] public List<string> Error { get; init; } = [];

    /// <summary>What went right but deserves attention.</summary>
    [JsonPropertyName("warning")] public List<string> Warning { get; init; } = [];

    /// <summary>What was done, for people (e.g. "Module 'x' enabled.").</summary>
    [JsonPropertyName("info")] public List<string> Info { get; init; } = [];

    /// <summary>Validation messages per field (for 422).</summary>
    [JsonPropertyName("fields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string[]>? Fields { get; init; }
}

/// <summary>Where a page sits in a list: MikoPBX lists lack <c>total</c> and <c>hasMore</c>; ours carry them.</summary>
/// <param name="Total">How many records match in all.</param>
/// <param name="Limit">The page size asked for (1–100).</param>
/// <param name="Offset">How many records were skipped.</param>
/// <param name="HasMore">True when records follow this page.</param>
public sealed record PbxPagination(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("hasMore")] bool HasMore);
