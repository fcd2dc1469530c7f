using PbxModules.Sdk.Rest;

namespace TestModules.Rest;

/// <summary><c>/pbxcore/api/v3/test-rest/numbers</c> in the MikoPBX shape.</summary>
[ApiResource("numbers", Description = "Numbers of the REST test module.")]
[ResourceSecurity("TestRest:Read")]
public sealed class NumbersResource(NumberStore store)
{
    /// <summary>getList: search in number and description, order by id or number.</summary>
    [HttpMapping("GET", Summary = "Lists numbers, a page at a time.")]
    public PbxApiResult GetList(ApiListQuery query)
    {
        IEnumerable<NumberRecord> items = store.All();
        if (query.Search is { } search)
            items = items.Where(n => n.Number.Contains(search, StringComparison.Ordinal) || n.Description.Contains(search, StringComparison.OrdinalIgnoreCase));
        switch (query.OrderField)
        {
            case null or "id":
                items = query.Descending ? items.OrderByDescending(n => n.Id) : items.OrderBy(n => n.Id);
                break;
            case "number":
                items = query.Descending ? items.OrderByDescending(n => n.Number, StringComparer.Ordinal) : items.OrderBy(n => n.Number, StringComparer.Ordinal);
                break;
            default:
                return query.InvalidOrder("id", "number");
        }
        return query.ToPage(items);
    }

    /// <summary>getRecord.</summary>
    [HttpMapping("GET", "{id}", Summary = "One number.")]
    public PbxApiResult GetRecord(int id)
        => store.Find(id) is { } number ? PbxApiResult.Ok(number) : PbxApiResult.NotFound($"No number with id {id}.");

    /// <summary>create.</summary>
    [HttpMapping("POST", Summary = "Adds a number.")]
    [ResourceSecurity("TestRest:Write")]
    public PbxApiResult Create(NumberInput input)
        => store.Add(input.Number!, input.Description) is { } created
            ? PbxApiResult.Created(created)
            : PbxApiResult.Conflict($"{input.Number} is on the list already.");

    /// <summary>update.</summary>
    [HttpMapping("PUT", "{id}", Summary = "Replaces a number.")]
    [ResourceSecurity("TestRest:Write")]
    public PbxApiResult Update(int id, NumberInput input)
        => store.Replace(id, n => n with { Number = input.Number!, Description = input.Description ?? "" }) is { } updated
            ? PbxApiResult.Ok(updated)
            : PbxApiResult.NotFound($"No number with id {id}.");

    /// <summary>patch.</summary>
    [HttpMapping("PATCH", "{id}", Summary = "Changes a number's description.")]
    [ResourceSecurity("TestRest:Write")]
    public PbxApiResult Patch(int id, NumberPatch patch)
        => store.Replace(id, n => n with { Description = patch.Description ?? n.Description }) is { } updated
            ? PbxApiResult.Ok(updated)
            : PbxApiResult.NotFound($"No number with id {id}.");

    /// <summary>delete.</summary>
    [HttpMapping("DELETE", "{id}", Summary = "Removes a number.")]
    [ResourceSecurity("TestRest:Write")]
    public PbxApiResult Delete(int id)
        => store.Remove(id) ? PbxApiResult.Ok() : PbxApiResult.NotFound($"No number with id {id}.");

    /// <summary>A custom method: <c>POST …/numbers:import</c>.</summary>
    [HttpMapping("POST", ":import", Summary = "Adds many numbers; answers how many were new.")]
    [ResourceSecurity("TestRest:Write")]
    public async Task<PbxApiResult> Import(List<NumberInput> numbers, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var added = numbers.Count(n => store.Add(n.Number!, n.Description) is not null);
        return PbxApiResult.Ok(new { added, skipped = numbers.Count - added });
    }

    /// <summary>A custom GET that takes a service from the module's container as a parameter.</summary>
    [HttpMapping("GET", ":stats")]
    public PbxApiResult Stats(NumberStore numbers, TimeProvider time)
        => PbxApiResult.Ok(new { count = numbers.All().Count, at = time.GetUtcNow() });

    /// <summary>
    /// A call that stays in flight: writes <c>slow.started</c> in the module's data folder, then
    /// waits until the test creates <c>slow.release</c> there. Disabling must wait for it. When its
    /// token is cancelled it writes <c>slow.cancelled</c> and still finishes the work in hand (waits
    /// for the release), as a call cleaning up would; its answer says whether it was cancelled and
    /// whether the module's container had been disposed under it by then.
    /// </summary>
    [HttpMapping("GET", ":slow")]
    public async Task<PbxApiResult> Slow(PbxModules.Sdk.Modules.IModuleContext module, ContainerLifetime container, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(module.DataDirectory, "slow.started"), "", cancellationToken);
        var release = Path.Combine(module.DataDirectory, "slow.release");
        var cancelled = false;
        while (!File.Exists(release))
        {
            try
            {
                await Task.Delay(20, cancelled ? CancellationToken.None : cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !cancelled)
            {
                cancelled = true;
                await File.WriteAllTextAsync(Path.Combine(module.DataDirectory, "slow.cancelled"), "", CancellationToken.None);
            }
        }
        return PbxApiResult.Ok(new { count = store.All().Count, cancelled, containerDisposed = container.IsDisposed });
    }

    /// <summary>
    /// Takes a body of up to 4 MB (more than the host's 1 MB default) and answers how many bytes it
    /// read; writes <c>upload.started</c> in the module's data folder before it reads.
    /// </summary>
    [HttpMapping("POST", ":upload", MaxRequestBodyBytes = 4 * 1024 * 1024)]
    [ResourceSecurity("TestRest:Write")]
    public async Task<PbxApiResult> Upload(Microsoft.AspNetCore.Http.HttpRequest request, PbxModules.Sdk.Modules.IModuleContext module, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(module.DataDirectory, "upload.started"), "", cancellationToken);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0) total += read;
        return PbxApiResult.Ok(new { bytes = total });
    }

    /// <summary>Always throws: the host must answer 500 and keep serving.</summary>
    [HttpMapping("GET", ":boom")]
    public PbxApiResult Boom() => throw new InvalidOperationException("The test module failed on purpose.");
}

/// <summary>
/// A resource whose path repeats the module id, registered only when setting
/// <c>RegisterModuleIdPathResource</c> is true: paths are relative, so the host must refuse the module.
/// </summary>
[ApiResource("test-rest/numbers")]
[ResourceSecurity("TestRest:Read")]
public sealed class ModuleIdPathResource
{
    /// <summary>Never mapped.</summary>
    [HttpMapping("GET")]
    public PbxApiResult List() => PbxApiResult.Ok();
}

/// <summary>
/// A resource with a method that names no permission, registered only when setting
/// <c>RegisterUnsecuredResource</c> is true: <c>AddApiResource</c> must refuse it in ConfigureServices.
/// </summary>
[ApiResource("unsecured")]
public sealed class UnsecuredResource
{
    /// <summary>Never mapped.</summary>
    [HttpMapping("GET")]
    public PbxApiResult List() => PbxApiResult.Ok();
}
