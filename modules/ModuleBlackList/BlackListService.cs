using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModuleBlackList.Data;
using ModuleBlackList.Matching;
using ModuleBlackList.Models;
using ModuleBlackList.Rules;
using ModuleBlackList.Settings;
using ModuleBlackList.Sounds;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Modules;

namespace ModuleBlackList;

/// <summary>
/// The module's heart: settings, the number normaliser and the in-memory index, loaded when the
/// module starts and kept in step with every change made through it. Everything that changes rules
/// goes through here, so the index and the database never disagree. How a rule is built
/// (<see cref="RuleBuilder"/>), where the settings are stored (<see cref="SettingsStore"/>) and how
/// rules follow a new normaliser (<see cref="RuleRenormalizer"/>) live beside it.
/// </summary>
/// <param name="scopes">The module's scopes (database contexts).</param>
/// <param name="dialplan">Refreshes the dialplan when what it renders changed.</param>
/// <param name="time">The module clock.</param>
/// <param name="logger">The log.</param>
/// <param name="sounds">Checks the sound setting against Asterisk's sounds directory; without it only the name's syntax is checked.</param>
public sealed partial class BlackListService(IServiceScopeFactory scopes, IDialplanRefresher dialplan, TimeProvider time, ILogger<BlackListService> logger, SoundLibrary? sounds = null)
    : IModuleService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _settingsLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly SettingsStore _settingsStore = new(scopes);
    private volatile State _state = new(new BlackListSettings(), new PhoneNormalizer("US", ["00", "011"]));

    /// <summary>The in-memory list.</summary>
    public BlackListIndex Index { get; } = new();

    /// <summary>The current settings (a copy-on-write snapshot: never mutate it).</summary>
    public BlackListSettings Settings => _state.Settings;

    /// <summary>The current normaliser.</summary>
    public PhoneNormalizer Normalizer => _state.Normalizer;

    /// <summary>Completes once settings and rules are loaded.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Completes once the stored settings are read (or could not be: the defaults apply), well before
    /// <see cref="Ready"/> when the list is large. The dialplan contributor waits for it.
    /// </summary>
    public Task SettingsLoaded => _settingsLoaded.Task;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Loading a large list takes a while: calls arriving meanwhile get the fail mode, not a wait.
        _ = Task.Run(async () =>
        {
            try
            {
                await LoadAsync(CancellationToken.None);
                _ready.TrySetResult();
            }
            catch (Exception ex)
            {
                LogLoadFailed(logger, ex);
                _settingsLoaded.TrySetResult();
                _ready.TrySetException(ex);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The in-call check: anonymous rule, then allow and block rules for this route.</summary>
    public CheckResult Check(string? callerId, string? did)
    {
        var state = _state;
        var caller = callerId?.Trim() ?? "";
        var normalized = state.Normalizer.Normalize(caller);
        if (normalized.Length == 0)
        {
            var anonymous = caller.Length == 0 || state.Settings.AnonymousValues.Contains(caller, StringComparer.OrdinalIgnoreCase) || !caller.Any(char.IsAsciiDigit);
            return anonymous && state.Settings.BlockAnonymous
                ? new CheckResult(true, "", null, "anonymous")
                : new CheckResult(false, "", null, null);
        }
        var route = string.IsNullOrEmpty(did) ? "" : state.Normalizer.Normalize(did);
        var match = Index.Match(normalized, route, time.GetUtcNow().UtcDateTime);
        return match.Outcome == MatchOutcome.Blocked
            ? new CheckResult(true, normalized, match.Rule, match.Rule!.Value.Pattern)
            : new CheckResult(false, normalized, match.Rule, null);
    }

    /// <summary>Validates and stores a new rule, then indexes it.</summary>
    /// <returns>The rule, or the validation errors by field.</returns>
    public async Task<(BlackListNumbers? Rule, Dictionary<string, string[]>? Errors)> AddAsync(RuleInput input, string source, CancellationToken cancellationToken)
    {
        var (rule, errors) = Build(input, source);
        if (rule is null) return (null, errors);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        db.Numbers.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        Index.Upsert(rule);
        return (rule, null);
    }

    /// <summary>Indexes rules that were stored in bulk (an import, once its transaction is committed).</summary>
    public void Indexed(IEnumerable<BlackListNumbers> rules)
    {
        Index.UpsertRange(rules);
    }

    /// <summary>Replaces a rule's fields; null when there is no such rule.</summary>
    public async Task<(BlackListNumbers? Rule, Dictionary<string, string[]>? Errors)> UpdateAsync(int id, RuleInput input, CancellationToken cancellationToken)
    {
        var (built, errors) = Build(input, "rest");
        if (built is null) return (null, errors);
        return (await ChangeAsync(id, rule => RuleBuilder.CopyFields(built, rule), cancellationToken), null);
    }

    /// <summary>Applies a change to a stored rule (patch) and re-indexes it; null when there is no such rule.</summary>
    public async Task<BlackListNumbers?> ChangeAsync(int id, Action<BlackListNumbers> change, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        var rule = await db.Numbers.FindAsync([id], cancellationToken);
        if (rule is null) return null;
        change(rule);
        await db.SaveChangesAsync(cancellationToken);
        Index.Upsert(rule);
        return rule;
    }

    /// <summary>Deletes rules by id; returns how many existed.</summary>
    public async Task<int> DeleteAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        var deleted = await db.Numbers.Where(n => ids.Contains(n.Id)).ExecuteDeleteAsync(cancellationToken);
        Index.RemoveRange(ids);
        return deleted;
    }

    /// <summary>Deletes the block rules whose canonical number is exactly this one (feature code *31); returns how many.</summary>
    public async Task<int> DeleteNumberAsync(string rawNumber, CancellationToken cancellationToken)
    {
        var normalized = Normalizer.Normalize(rawNumber);
        if (normalized.Length == 0) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        var ids = await db.Numbers.Where(n => n.Normalized == normalized && !n.IsPrefix && n.Kind == RuleKind.Block).Select(n => n.Id).ToListAsync(cancellationToken);
        return await DeleteAsync(ids, cancellationToken);
    }

    /// <summary>Deletes the rules that expired (the purge job); returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        var ids = await db.Numbers.Where(n => n.ExpiresAt != null && n.ExpiresAt <= now).Select(n => n.Id).ToListAsync(cancellationToken);
        return ids.Count == 0 ? 0 : await DeleteAsync(ids, cancellationToken);
    }

    /// <summary>
    /// Validates and stores new settings. When the region or international prefixes changed, every rule
    /// is normalised again; when what the dialplan renders changed, the dialplan is refreshed.
    /// </summary>
    public async Task<Dictionary<string, string[]>?> UpdateSettingsAsync(BlackListSettings settings, CancellationToken cancellationToken)
    {
        var errors = ModelErrors.Of(settings, sounds is null ? null : new SoundValidationServices(sounds));
        if (errors is not null) return errors;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var previous = _state.Settings;
            await _settingsStore.WriteAsync(settings, cancellationToken);
            var state = new State(settings, new PhoneNormalizer(settings.DefaultRegion, settings.InternationalPrefixes));
            _state = state;
            if (previous.DefaultRegion != settings.DefaultRegion || !previous.InternationalPrefixes.SequenceEqual(settings.InternationalPrefixes))
                await RenormalizeAsync(state.Normalizer, cancellationToken);
            if (BlackListConf.RendersDifferently(previous, settings))
                await dialplan.RefreshAsync(cancellationToken);
            return null;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Builds a rule from input: validates it and computes its canonical form.</summary>
    public (BlackListNumbers? Rule, Dictionary<string, string[]>? Errors) Build(RuleInput input, string source)
        => RuleBuilder.Build(input, source, Normalizer, time.GetUtcNow().UtcDateTime);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var settings = await _settingsStore.ReadAsync(cancellationToken);
        _state = new State(settings, new PhoneNormalizer(settings.DefaultRegion, settings.InternationalPrefixes));
        _settingsLoaded.TrySetResult();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        // Streamed as projected records, not entities: nothing tracked, nothing kept but the compact index.
        Index.Load(db.Numbers.AsNoTracking()
            .Select(n => new RuleRecord(n.Id, n.Number, n.Normalized, n.IsPrefix, n.Kind, n.Enabled, n.ExpiresAt, n.Scope))
            .AsAsyncEnumerable().ToBlockingEnumerable(cancellationToken));
        LogLoaded(logger, Index.Count);
    }

    private async Task RenormalizeAsync(PhoneNormalizer normalizer, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        Index.Load(await RuleRenormalizer.RenormalizeAsync(db, normalizer, cancellationToken));
    }

    private sealed record State(BlackListSettings Settings, PhoneNormalizer Normalizer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Blacklist loaded: {Count} active rule(s) indexed")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blacklist could not be loaded; calls get the configured fail mode until the module is enabled again")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);
}
