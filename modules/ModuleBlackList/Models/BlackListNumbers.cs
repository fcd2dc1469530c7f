namespace ModuleBlackList.Models;

/// <summary>What a rule does when it matches.</summary>
public enum RuleKind
{
    /// <summary>Reject the caller.</summary>
    Block,

    /// <summary>Let the caller through even when a block rule matches (an allow rule wins).</summary>
    Allow,
}

/// <summary>
/// A rule of the list (table <c>m_BlackListNumbers</c>): a number, or a prefix pattern ending in
/// <c>*</c> (<c>+7495*</c>, <c>1800*</c>), to block or to allow, optionally only on some incoming
/// routes (DIDs) and optionally only until it expires.
/// </summary>
public sealed class BlackListNumbers
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>The pattern as the administrator wrote it, e.g. <c>+1 (800) 555-0100</c> or <c>+7495*</c>.</summary>
    public string Number { get; set; } = "";

    /// <summary>The canonical form the index matches on (digits, country code first), without the trailing <c>*</c>.</summary>
    public string Normalized { get; set; } = "";

    /// <summary>True for a prefix pattern (the number ended in <c>*</c>).</summary>
    public bool IsPrefix { get; set; }

    /// <summary>Block or allow.</summary>
    public RuleKind Kind { get; set; }

    /// <summary>Why the rule exists, for people.</summary>
    public string Description { get; set; } = "";

    /// <summary>Disabled rules stay in the list but never match.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When it was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it stops applying (UTC); null for a permanent rule. Expired rules are purged every minute.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>
    /// The incoming routes (DIDs, normalised, comma-separated) the rule applies to; empty for all routes.
    /// </summary>
    public string Scope { get; set; } = "";

    /// <summary>How many calls it matched.</summary>
    public long HitCount { get; set; }

    /// <summary>When it last matched (UTC).</summary>
    public DateTime? LastHitAt { get; set; }

    /// <summary>Who or what made it: <c>rest</c>, <c>import</c>, <c>feature-code</c>, <c>flood</c>.</summary>
    public string Source { get; set; } = "rest";
}

/// <summary>One rejected call (table <c>m_BlackListCalls</c>).</summary>
public sealed class BlackListCalls
{
    /// <summary>Key.</summary>
    public long Id { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>The caller id as Asterisk gave it.</summary>
    public string Number { get; set; } = "";

    /// <summary>The caller id normalised.</summary>
    public string Normalized { get; set; } = "";

    /// <summary>The route's number (DID), when known.</summary>
    public string Did { get; set; } = "";

    /// <summary>The matching rule's id; null for the anonymous rule or a fail-closed rejection.</summary>
    public int? RuleId { get; set; }

    /// <summary>Why: the rule's pattern, <c>anonymous</c>, or <c>fail-closed</c>.</summary>
    public string Reason { get; set; } = "";

    /// <summary>What was done: Hangup, Busy, Congestion, PlaySound, Redirect.</summary>
    public string Action { get; set; } = "";

    /// <summary>The Asterisk channel.</summary>
    public string Channel { get; set; } = "";

    /// <summary>The call's unique id.</summary>
    public string UniqueId { get; set; } = "";
}

/// <summary>The module's settings, one JSON document (table <c>m_BlackListSettings</c>).</summary>
public sealed class BlackListSettingsRow
{
    /// <summary>Always 1.</summary>
    public int Id { get; set; } = 1;

    /// <summary>The settings as JSON.</summary>
    public string Json { get; set; } = "{}";
}
