using Microsoft.Extensions.DependencyInjection;
using ModuleBlackList.Models;
using ModuleBlackList.Settings;

namespace ModuleBlackList.Tests;

public sealed class BlackListServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("unknown")]
    [InlineData("Anonymous")]
    [InlineData("PRIVATE")]
    [InlineData("<unknown>")]
    [InlineData("+")]
    public async Task A_caller_without_a_usable_number_is_anonymous_and_blocked_only_when_that_is_on(string callerId)
    {
        await using var on = await BlackListHost.StartAsync(new BlackListSettings { BlockAnonymous = true });
        await using var off = await BlackListHost.StartAsync(new BlackListSettings { BlockAnonymous = false });

        var blocked = on.BlackList.Check(callerId, null);
        Assert.True(blocked.Blocked);
        Assert.Equal("anonymous", blocked.Reason);
        Assert.Null(blocked.Rule);
        Assert.False(off.BlackList.Check(callerId, null).Blocked);
    }

    [Fact]
    public async Task A_caller_id_with_letters_and_digits_is_neither_a_number_nor_anonymous()
    {
        await using var m = await BlackListHost.StartAsync(new BlackListSettings { BlockAnonymous = true });

        var result = m.BlackList.Check("800-FLOWERS", null);

        Assert.False(result.Blocked);
        Assert.Equal("", result.Normalized);
    }

    [Fact]
    public async Task Rules_stored_before_the_start_are_indexed_when_the_service_loads()
    {
        await using var first = await BlackListHost.StartAsync();
        var (rule, _) = await first.BlackList.AddAsync(new RuleInput { Number = "+1 (800) 555-0100" }, "rest", None);
        Assert.NotNull(rule);
        Assert.Equal("18005550100", rule.Normalized);

        // A second service on the same database.
        var reloaded = new BlackListService(first.Scopes, first.Services.GetRequiredService<PbxModules.Sdk.Dialplan.IDialplanRefresher>(), first.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<BlackListService>.Instance);
        await reloaded.StartAsync(None);
        await reloaded.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(reloaded.SettingsLoaded.IsCompleted);

        Assert.Equal(rule.Id, reloaded.Check("0018005550100", null).Rule!.Value.Id);
    }

    [Fact]
    public async Task A_temporary_rule_blocks_until_its_expiry_on_the_module_clock()
    {
        await using var m = await BlackListHost.StartAsync();
        var expires = m.Time.GetUtcNow().UtcDateTime.AddMinutes(10);
        var (rule, errors) = await m.BlackList.AddAsync(new RuleInput { Number = "+1 415 555 0170", ExpiresAt = expires }, "rest", None);
        Assert.Null(errors);

        Assert.True(m.BlackList.Check("14155550170", null).Blocked);
        m.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.True(m.BlackList.Check("14155550170", null).Blocked);
        m.Time.Advance(TimeSpan.FromTicks(1));
        Assert.False(m.BlackList.Check("14155550170", null).Blocked);

        Assert.Equal(1, await m.BlackList.PurgeExpiredAsync(None));
        Assert.DoesNotContain(await m.StoredRulesAsync(), r => r.Id == rule!.Id);
    }

    [Theory]
    [InlineData("abc", "number")]
    [InlineData("12*34", "number")]
    [InlineData("*", "number")]
    [InlineData("", "number")]
    public async Task A_rule_that_is_not_a_number_or_prefix_is_refused_with_the_field_named(string number, string field)
    {
        await using var m = await BlackListHost.StartAsync();

        var (rule, errors) = await m.BlackList.AddAsync(new RuleInput { Number = number }, "rest", None);

        Assert.Null(rule);
        Assert.Contains(field, errors!.Keys);
        Assert.Empty(await m.StoredRulesAsync());
    }

    [Fact]
    public async Task An_expiry_in_the_past_and_a_scope_that_is_not_a_number_are_refused()
    {
        await using var m = await BlackListHost.StartAsync();

        var (_, past) = await m.BlackList.AddAsync(new RuleInput { Number = "14155550170", ExpiresAt = m.Time.GetUtcNow().UtcDateTime }, "rest", None);
        var (_, scope) = await m.BlackList.AddAsync(new RuleInput { Number = "14155550170", Scope = ["main line"] }, "rest", None);

        Assert.Contains("expiresAt", past!.Keys);
        Assert.Contains("scope", scope!.Keys);
    }

    [Fact]
    public async Task Star_31_removes_only_the_exact_block_rules_of_the_number()
    {
        await using var m = await BlackListHost.StartAsync();
        await m.BlackList.AddAsync(new RuleInput { Number = "+1 646 555 0111" }, "rest", None);
        await m.BlackList.AddAsync(new RuleInput { Number = "16465550111", Scope = ["2125550000"] }, "rest", None);
        await m.BlackList.AddAsync(new RuleInput { Number = "16465550111", Kind = RuleKind.Allow, Scope = ["2125550001"] }, "rest", None);
        await m.BlackList.AddAsync(new RuleInput { Number = "1646*" }, "rest", None);

        Assert.Equal(2, await m.BlackList.DeleteNumberAsync("(646) 555-0111", None));

        var left = await m.StoredRulesAsync();
        Assert.Equal(2, left.Count);
        Assert.Contains(left, r => r.Kind == RuleKind.Allow);
        Assert.Contains(left, r => r.IsPrefix);
        // The prefix still blocks the number; the removed exact rules no longer decide.
        Assert.Equal("1646*", m.BlackList.Check("16465550111", null).Rule!.Value.Pattern);
        Assert.Equal(0, await m.BlackList.DeleteNumberAsync("letters", None));
    }

    [Fact]
    public async Task A_new_region_normalises_every_rule_again_and_only_a_new_fail_mode_or_action_refreshes_the_dialplan()
    {
        await using var m = await BlackListHost.StartAsync();
        await m.BlackList.AddAsync(new RuleInput { Number = "8 (495) 123-45-67" }, "rest", None);
        await m.BlackList.AddAsync(new RuleInput { Number = "8812*", Scope = ["8 (495) 000-00-00"] }, "rest", None);
        Assert.False(m.BlackList.Check("+74951234567", null).Blocked);

        Assert.Null(await m.BlackList.UpdateSettingsAsync(new BlackListSettings { DefaultRegion = "RU" }, None));

        Assert.True(m.BlackList.Check("+74951234567", null).Blocked);
        Assert.True(m.BlackList.Check("+78121234567", "84950000000").Blocked);
        var stored = await m.StoredRulesAsync();
        Assert.Equal(["74951234567", "7812"], stored.Select(r => r.Normalized));
        Assert.Equal("74950000000", stored[1].Scope);
        Assert.Equal(0, m.DialplanRefreshes);

        Assert.Null(await m.BlackList.UpdateSettingsAsync(new BlackListSettings { DefaultRegion = "RU", FailMode = FailMode.Closed }, None));
        Assert.Equal(1, m.DialplanRefreshes);
        Assert.Null(await m.BlackList.UpdateSettingsAsync(new BlackListSettings { DefaultRegion = "RU", FailMode = FailMode.Closed, Action = BlockAction.Busy }, None));
        Assert.Equal(2, m.DialplanRefreshes);
    }

    [Fact]
    public async Task Settings_that_do_not_validate_are_refused_and_the_old_ones_stay()
    {
        await using var m = await BlackListHost.StartAsync(new BlackListSettings { FailMode = FailMode.Closed });

        var fields = await m.BlackList.UpdateSettingsAsync(new BlackListSettings { FloodMaxCalls = 1, DefaultRegion = "usa" }, None);
        var whole = await m.BlackList.UpdateSettingsAsync(new BlackListSettings { DefaultRegion = "XX", Action = BlockAction.Redirect, InternationalPrefixes = ["+00"] }, None);

        Assert.Contains("floodMaxCalls", fields!.Keys);
        Assert.Contains("defaultRegion", fields.Keys);
        Assert.Contains("defaultRegion", whole!.Keys);
        Assert.Contains("redirectContext", whole.Keys);
        Assert.Contains("internationalPrefixes", whole.Keys);
        Assert.Equal(FailMode.Closed, m.BlackList.Settings.FailMode);
    }
}
