using ModuleFoo.Data;

namespace ModuleFoo.Rest;

/// <summary>A greeting as the REST API shows it.</summary>
/// <param name="Id">Key.</param>
/// <param name="CallerId">The caller id it is for.</param>
/// <param name="Sound">The sound played.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="ExpiresAt">When it stops applying (UTC), or null.</param>
/// <param name="Hangups">How many calls from this caller ended since.</param>
public sealed record GreetingView(int Id, string CallerId, string Sound, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, long Hangups)
{
    /// <summary>The view of a stored row (its times are UTC).</summary>
    public static GreetingView From(Greeting g) => new(
        g.Id, g.CallerId, g.Sound,
        new DateTimeOffset(DateTime.SpecifyKind(g.CreatedAt, DateTimeKind.Utc)),
        g.ExpiresAt is { } expires ? new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)) : null,
        g.Hangups);
}
