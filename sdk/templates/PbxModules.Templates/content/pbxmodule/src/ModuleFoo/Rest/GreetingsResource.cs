using Microsoft.EntityFrameworkCore;
using ModuleFoo.Data;
using PbxModules.Sdk.Rest;

namespace ModuleFoo.Rest;

/// <summary>
/// <c>/pbxcore/api/v3/module-foo/greetings</c>: the greetings, one per caller. Reading needs the
/// permission <c>Foo:Read</c>, changing <c>Foo:Write</c> (an administrator has both). Every answer
/// has the API's shape (<see cref="PbxApiResult"/>).
/// </summary>
[ApiResource("greetings", Description = "The greeting each caller hears before the call rings.")]
[ResourceSecurity("Foo:Read")]
public sealed class GreetingsResource(FooDbContext db, TimeProvider time)
{
    private static readonly string[] OrderFields = ["id", "callerId"];

    /// <summary>getList: a page of greetings, by id; <c>search</c> looks in the caller id.</summary>
    /// <param name="query">limit, offset, search, order (id, callerId).</param>
    /// <param name="cancellationToken">The request's.</param>
    [HttpMapping("GET", Summary = "Lists greetings, a page at a time; search= looks in the caller id.")]
    public async Task<PbxApiResult> GetList(ApiListQuery query, CancellationToken cancellationToken)
    {
        IQueryable<Greeting> greetings = db.Greetings.AsNoTracking();
        if (query.Search is { } search) greetings = greetings.Where(g => g.CallerId.Contains(search));
        var d = query.Descending;
        switch (query.OrderField)
        {
            case null or "id": greetings = d ? greetings.OrderByDescending(g => g.Id) : greetings.OrderBy(g => g.Id); break;
            case "callerId": greetings = d ? greetings.OrderByDescending(g => g.CallerId) : greetings.OrderBy(g => g.CallerId); break;
            default: return query.InvalidOrder(OrderFields);
        }

        var total = await greetings.CountAsync(cancellationToken);
        var page = await greetings.Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        return query.ToPage(page.ConvertAll(GreetingView.From), total);
    }

    /// <summary>getRecord.</summary>
    [HttpMapping("GET", "{id:int}", Summary = "One greeting.")]
    public async Task<PbxApiResult> GetRecord(int id, CancellationToken cancellationToken)
        => await db.Greetings.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken) is { } greeting
            ? PbxApiResult.Ok(GreetingView.From(greeting))
            : NotFound(id);

    /// <summary>create: 201 with the greeting; 422 when the input does not validate; 409 when the caller has one already.</summary>
    [HttpMapping("POST", Summary = "Adds the greeting of one caller.")]
    [ResourceSecurity("Foo:Write")]
    public async Task<PbxApiResult> Create(GreetingInput input, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (input.Validate(now) is { Count: > 0 } errors) return PbxApiResult.ValidationFailed(errors);
        var callerId = input.CallerId!.Trim();
        if (await db.Greetings.AnyAsync(g => g.CallerId == callerId, cancellationToken))
            return PbxApiResult.Conflict($"Caller {callerId} has a greeting already: delete it first, or change that one.");

        var greeting = new Greeting
        {
            CallerId = callerId,
            Sound = input.Sound!.Trim(),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = input.ExpiresAt?.UtcDateTime,
        };
        db.Greetings.Add(greeting);
        await db.SaveChangesAsync(cancellationToken);
        return PbxApiResult.Created(GreetingView.From(greeting));
    }

    /// <summary>delete.</summary>
    [HttpMapping("DELETE", "{id:int}", Summary = "Removes a greeting.")]
    [ResourceSecurity("Foo:Write")]
    public async Task<PbxApiResult> Delete(int id, CancellationToken cancellationToken)
        => await db.Greetings.Where(g => g.Id == id).ExecuteDeleteAsync(cancellationToken) > 0
            ? PbxApiResult.Done($"Greeting {id} removed.")
            : NotFound(id);

    private static PbxApiResult NotFound(int id) => PbxApiResult.NotFound($"No greeting has id {id}.");
}
