using System.Text.Json;
using ModuleBlackList.Rest;
using ModuleBlackList.Settings;
using static ModuleBlackList.Tests.Rest.RestResources;

namespace ModuleBlackList.Tests.Rest;

/// <summary><see cref="SettingsResource"/> on its own: read, replace, merge-patch, validation, and the wait for the stored settings.</summary>
public sealed class SettingsResourceTests
{
    [Fact]
    public async Task Get_answers_the_stored_settings()
    {
        await using var rest = await StartAsync(new BlackListSettings { DefaultRegion = "DE", BlockAnonymous = true });
        var settings = Data<BlackListSettings>(await rest.Settings().Get(None));
        Assert.Equal("DE", settings.DefaultRegion);
        Assert.True(settings.BlockAnonymous);
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_named_and_stores_them()
    {
        await using var rest = await StartAsync(new BlackListSettings { DefaultRegion = "DE" });
        var patched = Data<BlackListSettings>(await rest.Settings().Patch(Json("""{ "blockAnonymous": true }"""), None));

        Assert.True(patched.BlockAnonymous);
        Assert.Equal("DE", patched.DefaultRegion);
        Assert.True(rest.Harness.BlackList.Settings.BlockAnonymous);
    }

    [Fact]
    public async Task Put_needs_every_field()
    {
        await using var rest = await StartAsync();
        var messages = Failed(await rest.Settings().Update(Json("""{ "blockAnonymous": true }"""), None), 422);
        Assert.Contains("defaultRegion", messages.Fields!.Keys);
        Assert.False(rest.Harness.BlackList.Settings.BlockAnonymous);
    }

    [Fact]
    public async Task Put_of_the_whole_document_replaces_it()
    {
        await using var rest = await StartAsync();
        var whole = JsonSerializer.SerializeToElement(new BlackListSettings { DefaultRegion = "GB", FloodMaxCalls = 3 }, SettingsDocument.Json);
        var stored = Data<BlackListSettings>(await rest.Settings().Update(whole, None));
        Assert.Equal("GB", stored.DefaultRegion);
        Assert.Equal(3, rest.Harness.BlackList.Settings.FloodMaxCalls);
    }

    [Fact]
    public async Task A_setting_that_does_not_validate_is_a_422_and_nothing_changes()
    {
        await using var rest = await StartAsync();
        var messages = Failed(await rest.Settings().Patch(Json("""{ "floodMaxCalls": 0 }"""), None), 422);
        Assert.NotEmpty(messages.Error);
        Assert.Equal(10, rest.Harness.BlackList.Settings.FloodMaxCalls);
    }

    [Fact]
    public async Task Before_the_list_has_loaded_every_method_waits_then_answers_503()
    {
        await using var rest = await StartUnloadedAsync();
        var get = rest.Settings().Get(None);
        var patch = rest.Settings().Patch(Json("""{ "blockAnonymous": true }"""), None);
        var put = rest.Settings().Update(Json("{}"), None);
        Assert.False(get.IsCompleted || patch.IsCompleted || put.IsCompleted);

        rest.Harness.Time.Advance(ListReadiness.MaxWait);
        foreach (var answer in new[] { await get, await patch, await put })
            Assert.Equal(["The blacklist is still loading; try again in a moment."], Failed(answer, 503).Error);
        Assert.False(rest.Harness.BlackList.Settings.BlockAnonymous);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
