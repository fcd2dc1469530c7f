using Microsoft.Extensions.Time.Testing;
using ModuleBlackList.Flood;

namespace ModuleBlackList.Tests.Flood;

public sealed class FloodCounterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Block = TimeSpan.FromMinutes(5);

    private static FloodVerdict Count(FloodCounter counter, string callId, string caller = "17025550101", int maxCalls = 3)
        => counter.Count(callId, caller, maxCalls, Window, Block);

    [Fact]
    public void A_call_seen_by_the_AMI_worker_and_then_by_the_check_is_counted_once_and_both_get_its_verdict()
    {
        var counter = new FloodCounter(new FakeTimeProvider());
        for (var i = 0; i < 3; i++) Assert.False(Count(counter, $"call-{i}").Flooding);

        // The crossing call: its AMI event first (the worker stores the rule), then its AGI check.
        var fromAmi = Count(counter, "call-3");
        var fromCheck = Count(counter, "call-3");

        Assert.Equal(new FloodVerdict(true, 4, true), fromAmi);
        Assert.Equal(new FloodVerdict(true, 4, false), fromCheck);
        // And the other way round for the next call: the check first, then the late event.
        Assert.Equal(new FloodVerdict(true, 5, false), Count(counter, "call-4"));
        Assert.Equal(new FloodVerdict(true, 5, false), Count(counter, "call-4"));
    }

    [Fact]
    public void The_rule_is_requested_once_per_block_and_again_once_the_block_is_over()
    {
        var time = new FakeTimeProvider();
        var counter = new FloodCounter(time);
        var requested = new List<bool>();
        for (var i = 0; i < 10; i++) requested.Add(Count(counter, $"a-{i}", maxCalls: 2).CreateRule);
        Assert.Equal(1, requested.Count(r => r));
        Assert.True(requested[2]);

        // Flooding on through the 5-minute block: no second rule meanwhile…
        var during = new List<FloodVerdict>();
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(50));
            for (var j = 0; j < 3; j++) during.Add(Count(counter, $"b-{i}-{j}", maxCalls: 2));
        }
        Assert.All(during, v => Assert.True(v.Flooding));
        Assert.DoesNotContain(during, v => v.CreateRule);

        // …and one once the block is over while the caller still floods.
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(new FloodVerdict(true, 4, true), Count(counter, "c", maxCalls: 2));
    }

    [Fact]
    public void Once_the_rule_is_stored_it_blocks_and_the_count_does_not_so_an_administrator_can_unblock_the_caller()
    {
        var counter = new FloodCounter(new FakeTimeProvider());
        for (var i = 0; i < 2; i++) Assert.False(Count(counter, $"call-{i}", maxCalls: 2).Flooding);
        Assert.Equal(new FloodVerdict(true, 3, true), Count(counter, "call-2", maxCalls: 2)); // crosses: stores the rule
        Assert.True(Count(counter, "call-3", maxCalls: 2).Flooding); // while it is being stored

        counter.RuleStored("17025550101");

        Assert.Equal(new FloodVerdict(false, 5, false), Count(counter, "call-4", maxCalls: 2));
        // The crossing call keeps its verdict for whoever asks about it later.
        Assert.True(Count(counter, "call-2", maxCalls: 2).Flooding);
    }

    [Fact]
    public void A_rule_that_could_not_be_stored_is_requested_again_by_the_next_flooding_call()
    {
        var counter = new FloodCounter(new FakeTimeProvider());
        for (var i = 0; i < 3; i++) Count(counter, $"call-{i}", maxCalls: 2);

        counter.RuleFailed("17025550101");

        Assert.True(Count(counter, "call-3", maxCalls: 2).CreateRule);
    }

    [Fact]
    public async Task Counting_from_the_worker_and_many_checks_at_once_counts_every_call_exactly_once()
    {
        var counter = new FloodCounter(new FakeTimeProvider());
        const int calls = 2000;
        using var start = new Barrier(4);

        // Four threads race over the same 2000 calls (as the AMI worker and AGI checks would).
        var verdicts = await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return Enumerable.Range(0, calls).Select(i => (Call: (i + (t * 500)) % calls, Verdict: Count(counter, $"call-{(i + (t * 500)) % calls}", maxCalls: 10_000))).ToList();
        })));

        var all = verdicts.SelectMany(v => v).ToList();
        // Each call has one count for everyone who asked, and the counts are 1..2000 with none twice.
        Assert.All(all.GroupBy(v => v.Call), g => Assert.Single(g.Select(v => v.Verdict.Calls).Distinct()));
        Assert.Equal(Enumerable.Range(1, calls), all.GroupBy(v => v.Call).Select(g => g.First().Verdict.Calls).Order());
    }

    [Fact]
    public void Remembered_calls_are_forgotten_once_they_are_older_than_the_window_and_two_minutes()
    {
        var time = new FakeTimeProvider();
        var counter = new FloodCounter(time);
        for (var i = 0; i < 100; i++) Count(counter, $"call-{i}", caller: $"1702555{i:0000}");
        Assert.Equal(100, counter.RememberedCalls);

        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Count(counter, "later");

        Assert.Equal(1, counter.RememberedCalls);
    }
}
