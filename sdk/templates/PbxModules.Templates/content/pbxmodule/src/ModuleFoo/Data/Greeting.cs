namespace ModuleFoo.Data;

/// <summary>The greeting one caller hears (table <c>m_Greetings</c>).</summary>
public sealed class Greeting
{
    /// <summary>The longest caller id stored.</summary>
    public const int MaxCallerIdLength = 32;

    /// <summary>The longest sound name stored.</summary>
    public const int MaxSoundLength = 128;

    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>The caller id it is for, as Asterisk sends it (digits, optionally a leading '+'); unique.</summary>
    public string CallerId { get; set; } = "";

    /// <summary>The sound to play, as Asterisk names it (no extension).</summary>
    public string Sound { get; set; } = "";

    /// <summary>When it was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it stops applying (UTC); null for a permanent one. Expired greetings are pruned every hour.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>How many calls from this caller have ended since the greeting was created (counted over AMI).</summary>
    public long Hangups { get; set; }
}
