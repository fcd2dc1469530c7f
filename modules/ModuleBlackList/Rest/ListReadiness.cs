using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Rest;

/// <summary>
/// What a REST answer that needs the loaded list does while <see cref="BlackListService"/> loads it
/// at start-up: it waits a little (<see cref="MaxWait"/>), so that a request sent just after the
/// module was enabled still gets its answer, and then answers 503 rather than answering from an
/// empty list or the default settings.
/// </summary>
public sealed class ListReadiness(BlackListService blackList, TimeProvider time)
{
    /// <summary>How long a request waits for the list before it is told to try again.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    /// <summary>Waits for the list; null once it is loaded, otherwise the 503 to answer.</summary>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<PbxApiResult?> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await blackList.Ready.WaitAsync(MaxWait, time, cancellationToken);
            return null;
        }
        catch (TimeoutException)
        {
            return PbxApiResult.Fail(503, "The blacklist is still loading; try again in a moment.");
        }
    }
}
