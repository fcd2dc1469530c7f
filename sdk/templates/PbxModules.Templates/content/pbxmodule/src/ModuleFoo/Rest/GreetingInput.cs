using System.Text.RegularExpressions;
using ModuleFoo.Data;
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
        var callerId = CallerId?.Trim() ?? "";
        if (!CallerIdShape().IsMatch(callerId) || callerId.Length > Greeting.MaxCallerIdLength)
            errors["callerId"] = [$"is required: digits, optionally with a leading '+', at most {Greeting.MaxCallerIdLength} characters (e.g. '+15551230000')."];
        var sound = Sound?.Trim() ?? "";
        if (!SoundShape().IsMatch(sound))
            errors["sound"] = [SoundName.Message];
        else if (sound.Length > Greeting.MaxSoundLength)
            errors["sound"] = [$"must be at most {Greeting.MaxSoundLength} characters."];
        if (ExpiresAt is { } expires && expires <= now)
            errors["expiresAt"] = ["is in the past; leave it out for a permanent greeting."];
        return errors;
    }

    [GeneratedRegex(@"^\+?[0-9]+$")]
    private static partial Regex CallerIdShape();

    [GeneratedRegex(SoundName.Pattern)]
    private static partial Regex SoundShape();
}
