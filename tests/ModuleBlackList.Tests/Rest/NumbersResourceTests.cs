using ModuleBlackList.Models;
using ModuleBlackList.Rest;
using PbxModules.Sdk.Rest;
using static ModuleBlackList.Tests.Rest.RestResources;

namespace ModuleBlackList.Tests.Rest;

/// <summary>
/// <see cref="NumbersResource"/> on its own: every answer of the rules resource, and that a change
/// reaches the index the in-call check reads before the answer returns. The routes, binding and
/// permissions are the end-to-end tests' (BlackListRest*).
/// </summary>
public sealed class NumbersResourceTests
{
    [Fact]
    public async Task Create_answers_201_and_the_check_blocks_the_number_at_once()
    {
        await using var rest = await StartAsync();
        var created = Data<RuleView>(await rest.Numbers().Create(new RuleInput { Number = "+1 (800) 555-0100", Description = "spam" }, None), 201);

        Assert.Equal("18005550100", created.Normalized);
        Assert.Equal("rest", created.Source);
        Assert.True(rest.Harness.BlackList.Check("+18005550100", null).Blocked);
        var check = Data<CheckView>(await rest.Numbers().Check("1-800-555-0100", null, None));
        Assert.Equal("Blocked", check.Outcome);
        Assert.Equal(created.Id, check.Rule!.Id);
    }

    [Fact]
    public async Task The_same_rule_twice_is_a_409_naming_the_first()
    {
        await using var rest = await StartAsync();
        var first = Data<RuleView>(await rest.Numbers().Create(new RuleInput { Number = "+18005550100" }, None), 201);

        var messages = Failed(await rest.Numbers().Create(new RuleInput { Number = "1 800 555 0100" }, None), 409);
        Assert.Contains($"Rule {first.Id}", Assert.Single(messages.Error), StringComparison.Ordinal);
        Assert.Single(await rest.Harness.StoredRulesAsync());
    }

    [Fact]
    public async Task A_rule_that_does_not_validate_is_a_422_with_field_messages()
    {
        await using var rest = await StartAsync();
        var messages = Failed(await rest.Numbers().Create(new RuleInput { Number = "not a number" }, None), 422);
        Assert.Contains("number", messages.Fields!.Keys);
        Assert.Empty(await rest.Harness.StoredRulesAsync());
    }

    [Fact]
    public async Task A_missing_rule_is_a_404_for_read_update_patch_and_delete()
    {
        await using var rest = await StartAsync();
        Failed(await rest.Numbers().GetRecord(99, None), 404);
        Failed(await rest.Numbers().Update(99, new RuleInput { Number = "+18005550100" }, None), 404);
        Failed(await rest.Numbers().Patch(99, new RulePatch { Enabled = false }, rest.Harness.Time, None), 404);
        Assert.Equal("No blacklist rule with id 99.", Assert.Single(Failed(await rest.Numbers().Delete(99, None), 404).Error));
    }

    [Fact]
    public async Task Update_and_patch_change_the_rule_and_the_index()
    {
        await using var rest = await StartAsync();
        var rule = Data<RuleView>(await rest.Numbers().Create(new RuleInput { Number = "+18005550100" }, None), 201);

        var updated = Data<RuleView>(await rest.Numbers().Update(rule.Id, new RuleInput { Number = "+18005550199", Description = "moved" }, None));
        Assert.Equal("18005550199", updated.Normalized);
        Assert.False(rest.Harness.BlackList.Check("+18005550100", null).Blocked);
        Assert.True(rest.Harness.BlackList.Check("+18005550199", null).Blocked);

        var patched = Data<RuleView>(await rest.Numbers().Patch(rule.Id, new RulePatch { Enabled = false, Description = "  off  " }, rest.Harness.Time, None));
        Assert.False(patched.Enabled);
        Assert.Equal("off", patched.Description);
        Assert.False(rest.Harness.BlackList.Check("+18005550199", null).Blocked);
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_a_422()
    {
        await using var rest = await StartAsync();
        var rule = Data<RuleView>(await rest.Numbers().Create(new RuleInput { Number = "+18005550100" }, None), 201);
        var past = rest.Harness.Time.GetUtcNow().UtcDateTime.AddMinutes(-1);

        var messages = Failed(await rest.Numbers().Patch(rule.Id, new RulePatch { ExpiresAt = past }, rest.Harness.Time, None), 422);
        Assert.Equal(["is in the past."], messages.Fields!["expiresAt"]);
    }

    [Fact]
    public async Task Delete_says_what_it_removed_and_the_number_passes_again()
    {
        await using var rest = await StartAsync();
        var rule = Data<RuleView>(await rest.Numbers().Create(new RuleInput { Number = "+18005550100" }, None), 201);

        var deleted = await rest.Numbers().Delete(rule.Id, None);
        Assert.True(deleted.Success);
        Assert.Equal(200, deleted.HttpCode);
        Assert.Equal([$"Rule {rule.Id} removed."], deleted.Messages.Info);
        Assert.False(rest.Harness.BlackList.Check("+18005550100", null).Blocked);
    }

    [Fact]
    public async Task GetList_filters_by_kind_and_search_and_pages()
    {
        await using var rest = await StartAsync();
        for (var i = 0; i < 3; i++) await rest.Numbers().Create(new RuleInput { Number = $"+1800555010{i}", Description = i == 1 ? "the odd one" : "" }, None);
        await rest.Numbers().Create(new RuleInput { Number = "+18005550200", Kind = RuleKind.Allow }, None);

        var page = await rest.Numbers().GetList(new ApiListQuery { Limit = 2 }, "block", null, None);
        Assert.Equal(2, Data<IReadOnlyList<RuleView>>(page).Count);
        Assert.Equal(new PbxPagination(3, 2, 0, true), page.Pagination);

        var allowed = Data<IReadOnlyList<RuleView>>(await rest.Numbers().GetList(new ApiListQuery(), "Allow", null, None));
        Assert.Equal("18005550200", Assert.Single(allowed).Normalized);

        var found = Data<IReadOnlyList<RuleView>>(await rest.Numbers().GetList(new ApiListQuery { Search = "odd" }, null, null, None));
        Assert.Equal("18005550101", Assert.Single(found).Normalized);

        Assert.Equal(["must be Block or Allow; got '1'."], Failed(await rest.Numbers().GetList(new ApiListQuery(), "1", null, None), 422).Fields!["kind"]);
        Failed(await rest.Numbers().GetList(new ApiListQuery { OrderField = "color" }, null, null, None), 422);
    }

    [Fact]
    public async Task Check_needs_a_number()
    {
        await using var rest = await StartAsync();
        Assert.Contains("number", Failed(await rest.Numbers().Check(" ", null, None), 422).Fields!.Keys);
    }

    [Fact]
    public async Task Check_answers_503_when_the_list_has_not_loaded_within_the_wait()
    {
        await using var rest = await StartUnloadedAsync();
        var pending = rest.Numbers().Check("+18005550100", null, None);
        Assert.False(pending.IsCompleted);

        rest.Harness.Time.Advance(ListReadiness.MaxWait);
        Assert.Equal(["The blacklist is still loading; try again in a moment."], Failed(await pending, 503).Error);
    }
}
