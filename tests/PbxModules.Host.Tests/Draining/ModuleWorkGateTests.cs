using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Draining;

namespace PbxModules.Host.Tests.Draining;

/// <summary>
/// The gate every surface counts a module's work through: nothing enters once draining, a drain
/// ends when the last work leaves, and work still running at the time-out is aborted and counted.
/// All time is the gate's fake clock; the real-time bounds only turn a hang into a failure.
/// </summary>
public sealed class ModuleWorkGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new();
    private readonly ModuleWorkGate _gate;

    public ModuleWorkGateTests() => _gate = new ModuleWorkGate(_time);

    [Fact]
    public async Task Nothing_enters_once_draining_has_started()
    {
        Assert.True(_gate.TryEnter());
        var drain = _gate.DrainAsync(Timeout, CancellationToken.None);

        Assert.False(_gate.TryEnter());
        Assert.Equal(1, _gate.InFlight);
        _gate.Leave();
        Assert.Equal(ModuleDrainResult.Ended, await drain.WaitAsync(Hang));
        Assert.False(_gate.TryEnter());
    }

    [Fact]
    public async Task A_drain_with_nothing_in_flight_ends_at_once()
    {
        Assert.Equal(ModuleDrainResult.Ended, await _gate.DrainAsync(Timeout, CancellationToken.None).WaitAsync(Hang));
        Assert.False(_gate.AbortToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_drain_waits_for_the_last_leave_and_aborts_nothing()
    {
        var work = Enumerable.Range(0, 3).Select(_ => Hold()).ToList();
        var drain = _gate.DrainAsync(Timeout, CancellationToken.None);

        work[0].Release();
        work[1].Release();
        await Task.WhenAll(work[0].Done, work[1].Done).WaitAsync(Hang);
        Assert.False(drain.IsCompleted);

        work[2].Release();
        Assert.Equal(ModuleDrainResult.Ended, await drain.WaitAsync(Hang));
        Assert.False(_gate.AbortToken.IsCancellationRequested);
    }

    [Fact]
    public async Task At_the_time_out_the_abort_token_is_cancelled_and_work_that_then_ends_is_counted_as_aborted()
    {
        var done = Hold();
        var obeys = Hold(leaveWhenAborted: true);
        var drain = _gate.DrainAsync(Timeout, CancellationToken.None);
        done.Release();
        await done.Done.WaitAsync(Hang);

        _time.Advance(Timeout - TimeSpan.FromTicks(1));
        Assert.False(_gate.AbortToken.IsCancellationRequested);
        _time.Advance(TimeSpan.FromTicks(1));

        await obeys.Done.WaitAsync(Hang);
        Assert.True(_gate.AbortToken.IsCancellationRequested);
        Assert.Equal(new ModuleDrainResult(Aborted: 1, StillRunning: 0), await drain.WaitAsync(Hang));
    }

    [Fact]
    public async Task Work_that_ignores_the_abort_is_reported_still_running_after_the_grace()
    {
        var stubborn = Hold();
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate.AbortToken.Register(() => aborted.TrySetResult());
        var drain = _gate.DrainAsync(Timeout, CancellationToken.None);

        _time.Advance(Timeout);
        await aborted.Task.WaitAsync(Hang);
        Assert.False(drain.IsCompleted);
        _time.Advance(ModuleWorkGate.Grace);

        Assert.Equal(new ModuleDrainResult(Aborted: 1, StillRunning: 1), await drain.WaitAsync(Hang));
        stubborn.Release();
        await stubborn.Done.WaitAsync(Hang);
        Assert.Equal(0, _gate.InFlight);
    }

    [Fact]
    public async Task Abort_cancels_at_once_and_waits_up_to_its_time_out()
    {
        var obeys = Hold(leaveWhenAborted: true);
        var stubborn = Hold();

        var stopping = _gate.AbortAsync(Timeout, CancellationToken.None);
        Assert.True(_gate.AbortToken.IsCancellationRequested);
        Assert.False(_gate.TryEnter());
        await obeys.Done.WaitAsync(Hang);
        Assert.False(stopping.IsCompleted);
        _time.Advance(Timeout);

        Assert.Equal(new ModuleDrainResult(Aborted: 2, StillRunning: 1), await stopping.WaitAsync(Hang));
        stubborn.Release();
    }

    [Fact]
    public async Task Leave_without_enter_is_refused()
    {
        Assert.Throws<InvalidOperationException>(_gate.Leave);
        Assert.Equal(ModuleDrainResult.Ended, await _gate.DrainAsync(Timeout, CancellationToken.None).WaitAsync(Hang));
    }

    [Fact]
    public async Task Under_concurrent_enters_and_leaves_a_drain_never_misses_the_last_leave()
    {
        // Rounds of many workers racing a drain: each worker enters (or is refused), waits for the
        // release, and leaves. The fake clock never moves, so only a leave can end a drain: a lost
        // wake-up would hang it, which the bound turns into a failure.
        for (var round = 0; round < 50; round++)
        {
            var gate = new ModuleWorkGate(_time);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var entered = 0;
            var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                if (!gate.TryEnter()) return false;
                Interlocked.Increment(ref entered);
                await release.Task;
                gate.Leave();
                return true;
            })).ToList();
            var drain = Task.Run(async () =>
            {
                await start.Task;
                return await gate.DrainAsync(Timeout, CancellationToken.None);
            });

            start.SetResult();
            // Every worker has either entered or been refused once the drain is under way and the entered ones are counted.
            await Task.Run(async () =>
            {
                while (gate.TryEnter())
                {
                    gate.Leave();
                    await Task.Yield();
                }
            }).WaitAsync(Hang);
            release.SetResult();

            var admitted = (await Task.WhenAll(workers).WaitAsync(Hang)).Count(a => a);
            Assert.Equal(ModuleDrainResult.Ended, await drain.WaitAsync(Hang));
            Assert.Equal(admitted, entered);
            Assert.Equal(0, gate.InFlight);
            Assert.False(gate.TryEnter());
        }
    }

    /// <summary>Enters one piece of work that holds until released (or, if asked, until aborted), then leaves.</summary>
    private Held Hold(bool leaveWhenAborted = false)
    {
        Assert.True(_gate.TryEnter());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (leaveWhenAborted) _gate.AbortToken.Register(() => release.TrySetResult());
        var done = Task.Run(async () =>
        {
            await release.Task;
            _gate.Leave();
        });
        return new Held(release, done);
    }

    private sealed record Held(TaskCompletionSource Releaser, Task Done)
    {
        public void Release() => Releaser.TrySetResult();
    }
}
