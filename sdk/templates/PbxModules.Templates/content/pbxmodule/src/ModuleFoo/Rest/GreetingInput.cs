using System.Text.RegularExpressions;
using ModuleFoo.Settings;

namespace ModuleFoo.Rest;

/// <summary>The body of <c>POST …/greetings</c>.</summary>
public sealed partial class GreetingInput
{
    /// <summary>The caller id, as Asterisk sends it: digits, optionally a leading '+' (e.g. <c>+15551230000</c>).</summary>
    public string? CallerId { get; set; }

    /// <summary>The sound to play, as Asterisk names it (no extension), e.g. <c>custom/welcome</c>.</summary>
    public string? Sound { get; set; }

    /// <summary>When it stops applying; null for a permanent greeting. Must be in the future.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The problems, per field, or an empty dictionary when the input is good.</summary>
    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(CallerId) || !CallerIdShape().IsMatch(CallerId.Trim()))
            errors["callerId"] = ["is required: digits, optionally with a leading '+', at most 32 (e.g. '+15551230000')."];
        if (string.IsNullOrWhiteSpace(Sound) || !SoundShape().IsMatch(Sound.Trim()) || Sound.Trim().Length > 128)
            errors["sound"] = [SoundName.Message];
        if (ExpiresAt is { } expires && expires <= now)
            errors["expiresAt"] = ["is in the past; leave it out for a permanent greeting."];
        return errors;
    }

    [GeneratedRegex(@"^\+?[0-9]{1,31}$")]
    private static partial Regex CallerIdShape();

    [GeneratedRegex(SoundName.Pattern)]
    private static partial Regex SoundShape();
}
