using System.Text.Json;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Rest;

/// <summary>
/// <c>GET|PUT|PATCH /pbxcore/api/v3/module-black-list/settings</c>. PUT replaces the whole document
/// and needs every field (so that a partial body cannot silently reset the others); PATCH is a JSON
/// merge patch. Both go through <see cref="BlackListService.UpdateSettingsAsync"/>, which validates
/// (422 with field messages), stores, normalises every rule again when the
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

    /// <summary>Replaces the settings: the body must name every field (422 naming each one missing).</summary>
    [HttpMapping("PUT", Summary = "Replaces the settings: every field is required (422 naming each missing one, and field messages).")]
    [ResourceSecurity("BlackList:Write")]
    [ApiRequestContent("application/json", Schema = typeof(BlackListSettings), Description = "Every field of the settings (as GET answers them).")]
    public async Task<PbxApiResult> Update(JsonElement settings, CancellationToken cancellationToken)
    {
        if (!await IsReadyAsync(cancellationToken)) return Loading();
        var (whole, errors) = SettingsDocument.ReadWhole(settings);
        return whole is null ? PbxApiResult.ValidationFailed(errors!) : await StoreAsync(whole, cancellationToken);
    }

    /// <summary>
    /// Changes only the fields the body names: a JSON merge patch (RFC 7396) of the current settings,
    /// sent as <c>application/merge-patch+json</c> or <c>application/json</c>. A field set to
    /// <c>null</c> goes back to its default; a list is replaced whole.
    /// </summary>
    [HttpMapping("PATCH", Summary = "Changes the fields named (JSON merge patch, RFC 7396; null resets a field to its default).")]
    [ResourceSecurity("BlackList:Write")]
    [ApiRequestContent("application/merge-patch+json", Schema = typeof(BlackListSettings), Description = "The fields to change; null resets a field to its default.")]
    [ApiRequestContent("application/json", Schema = typeof(BlackListSettings), Description = "The same merge patch as application/json.")]
    public async Task<PbxApiResult> Patch(JsonElement patch, CancellationToken cancellationToken)
    {
        if (!await IsReadyAsync(cancellationToken)) return Loading();
        var (merged, errors) = SettingsDocument.Merge(blackList.Settings, patch);
        return merged is null ? PbxApiResult.ValidationFailed(errors!) : await StoreAsync(merged, cancellationToken);
    }

    private async Task<PbxApiResult> StoreAsync(BlackListSettings settings, CancellationToken cancellationToken)
    {
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
