using ModuleBlackList.Settings;
using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Rest;

/// <summary>
/// <c>GET|PUT /pbxcore/api/v3/module-black-list/settings</c>. PUT replaces the whole document (a
/// field left out takes its default); the host validates it first (422 with field messages), then
/// <see cref="BlackListService.UpdateSettingsAsync"/> stores it, normalises every rule again when the
/// region or international prefixes changed, and refreshes the dialplan when what it renders changed.
/// </summary>
[ApiResource("module-black-list/settings", Description = "The blacklist's settings.")]
[ResourceSecurity("BlackList:Read")]
public sealed class SettingsResource(BlackListService blackList)
{
    /// <summary>The current settings.</summary>
    [HttpMapping("GET", Summary = "The current settings.")]
    public async Task<PbxApiResult> Get(CancellationToken cancellationToken)
    {
        // Before the list has loaded, the settings are the defaults, not what is stored.
        if (!await IsReadyAsync(cancellationToken)) return Loading();
        return PbxApiResult.Ok(blackList.Settings);
    }

    /// <summary>Replaces the settings.</summary>
    [HttpMapping("PUT", Summary = "Replaces the settings (validated; 422 with field messages).")]
    [ResourceSecurity("BlackList:Write")]
    public async Task<PbxApiResult> Update(BlackListSettings settings, CancellationToken cancellationToken)
    {
        if (!await IsReadyAsync(cancellationToken)) return Loading();
        var errors = await blackList.UpdateSettingsAsync(settings, cancellationToken);
        return errors is not null ? PbxApiResult.ValidationFailed(errors) : PbxApiResult.Ok(blackList.Settings);
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await blackList.Ready.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static PbxApiResult Loading() => PbxApiResult.Fail(503, "The blacklist is still loading; try again in a moment.");
}
