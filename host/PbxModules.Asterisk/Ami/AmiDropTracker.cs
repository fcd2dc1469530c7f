using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>
/// Makes one subscriber's lost events visible: counts drops in a sliding window (for health) and logs
/// a rate-limited warning. The first drop is logged at once; drops after it within
/// <see cref="AmiClientOptions.SubscriberDropWarningInterval"/> are summed and logged once when that
/// interval ends, so a flood of 100 000 drops is a handful of lines, and the last count is never lost.
/// </summary>
/// <remarks>
/// Called on the connection's reader (from inside the subscriber queue's write), so it does only
/// constant work: the window is 60 buckets, each a 60th of <see cref="AmiClientOptions.SubscriberDropWindow"/>.
/// Time comes from the client's <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </remarks>
internal sealed class AmiDropTracker : IDisposable
{
    private const int BucketCount = 60;

    private readonly string _name;
    private readonly int _capacity;
    private readonly AmiQueueOverflow _policy;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly TimeSpan _warningInterval;
    private readonly long _bucketTicks;
    private readonly long[] _bucketIndex = new long[BucketCount];
    private readonly long[] _bucketCount = new long[BucketCount];
    private readonly Lock _gate = new();
    private long _total;
    private long _unreported;
    private DateTimeOffset? _lastWarning;
    private DateTimeOffset? _lastDrop;
    private ITimer? _flush;
    private bool _disposed;

    public AmiDropTracker(string name, int capacity, AmiQueueOverflow policy, AmiClientOptions options, TimeProvider time, ILogger logger)
    {
        _name = name;
        _capacity = capacity;
        _policy = policy;
        _logger = logger;
        _time = time;
        _window = options.SubscriberDropWindow > TimeSpan.Zero ? options.SubscriberDropWindow : TimeSpan.FromMinutes(1);
        _warningInterval = options.SubscriberDropWarningInterval > TimeSpan.Zero ? options.SubscriberDropWarningInterval : TimeSpan.FromSeconds(10);
        _bucketTicks = Math.Max(1, _window.Ticks / BucketCount);
        Array.Fill(_bucketIndex, long.MinValue);
    }

    /// <summary>The sliding window <see cref="DroppedInWindow"/> covers.</summary>
    public TimeSpan Window => _window;

    /// <summary>Every drop since the subscriber was created.</summary>
    public long Total
    {
        get { lock (_gate) return _total; }
    }

    /// <summary>When the last drop happened; null when none did.</summary>
    public DateTimeOffset? LastDrop
    {
        get { lock (_gate) return _lastDrop; }
    }

    /// <summary>Drops within the last <see cref="Window"/>.</summary>
    public long DroppedInWindow
    {
        get
        {
            var now = CurrentBucket();
            long sum = 0;
            lock (_gate)
                for (var i = 0; i < BucketCount; i++)
                    if (now - _bucketIndex[i] < BucketCount) sum += _bucketCount[i];
            return sum;
        }
    }

    /// <summary>Counts one drop and logs (now, or when the warning interval ends).</summary>
    public void RecordDrop()
    {
        var now = _time.GetUtcNow();
        var bucket = now.UtcTicks / _bucketTicks;
        var slot = (int)(bucket % BucketCount);
        long report = 0;
        long total;
        lock (_gate)
        {
            if (_bucketIndex[slot] != bucket)
            {
                _bucketIndex[slot] = bucket;
                _bucketCount[slot] = 0;
            }

            _bucketCount[slot]++;
            total = ++_total;
            _lastDrop = now;
            _unreported++;
            if (_lastWarning is not { } last || now - last >= _warningInterval)
            {
                report = _unreported;
                _unreported = 0;
                _lastWarning = now;
                // Reported now: a flush still scheduled for the previous interval would report early.
                _flush?.Dispose();
                _flush = null;
            }
            else if (_flush is null && !_disposed)
            {
                // Report the rest of this interval's drops when it ends, even if no further drop comes.
                _flush = _time.CreateTimer(_ => Flush(), null, last + _warningInterval - now, Timeout.InfiniteTimeSpan);
            }
        }

        if (report > 0) AmiLog.SubscriberDropped(_logger, _name, report, _warningInterval.TotalSeconds, _capacity, _policy, total);
    }

    private void Flush()
    {
        long report;
        long total;
        lock (_gate)
        {
            _flush?.Dispose();
            _flush = null;
            report = _unreported;
            total = _total;
            if (report == 0 || _disposed) return;
            _unreported = 0;
            _lastWarning = _time.GetUtcNow();
        }

        AmiLog.SubscriberDropped(_logger, _name, report, _warningInterval.TotalSeconds, _capacity, _policy, total);
    }

    private long CurrentBucket() => _time.GetUtcNow().UtcTicks / _bucketTicks;

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _flush?.Dispose();
            _flush = null;
        }
    }
}
