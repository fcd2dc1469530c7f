using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace ModuleBlackList.Settings;

/// <summary>What happens to a blocked caller.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BlockAction>))]
public enum BlockAction
{
    /// <summary>Hang up at once.</summary>
    Hangup,

    /// <summary>Busy tone (the <c>Busy</c> application).</summary>
    Busy,

    /// <summary>Fast busy (the <c>Congestion</c> application).</summary>
    Congestion,

    /// <summary>Play <see cref="BlackListSettings.Sound"/>, then hang up.</summary>
    PlaySound,

    /// <summary>Continue at <see cref="BlackListSettings.RedirectContext"/>,<see cref="BlackListSettings.RedirectExtension"/>,<see cref="BlackListSettings.RedirectPriority"/>.</summary>
    Redirect,
}

/// <summary>What happens when the check cannot run (daemon down, module failing, database broken).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FailMode>))]
public enum FailMode
{
    /// <summary>The call proceeds (the default: a broken blacklist never blocks legitimate callers).</summary>
    Open,

    /// <summary>The call is rejected.</summary>
    Closed,
}

/// <summary>The module's settings, changeable over REST (<c>GET|PUT /pbxcore/api/v3/module-black-list/settings</c>).</summary>
public sealed class BlackListSettings : IValidatableObject
{
    /// <summary>The region numbers without a country code belong to (ISO 3166 code, e.g. <c>US</c>, <c>RU</c>, <c>GB</c>).</summary>
    [Required, RegularExpression("^[A-Z]{2}$", ErrorMessage = "must be a two-letter ISO 3166 region code such as US.")]
    public string DefaultRegion { get; set; } = "US";

    /// <summary>International dialling prefixes turned into a country code, e.g. <c>00</c> and <c>011</c>.</summary>
    public List<string> InternationalPrefixes { get; set; } = ["00", "011"];

    /// <summary>What happens to a blocked caller.</summary>
    public BlockAction Action { get; set; } = BlockAction.Hangup;

    /// <summary>
    /// The sound played by <see cref="BlockAction.PlaySound"/>: an Asterisk sound name relative to its sounds
    /// directory, without extension (<c>custom/you-are-blocked</c>). With that action it must exist there when
    /// the directory can be read (<see cref="BlackListOptions.SoundsDirectory"/>).
    /// </summary>
    public string Sound { get; set; } = "ss-noservice";

    /// <summary>
    /// The Q.850 cause blocked callers are hung up with, everywhere the module hangs up (the Hangup action,
    /// after PlaySound's sound, and the dialplan's safety net): 21 "call rejected" by default, 17 "user busy",
    /// 1 "unallocated number"…
    /// </summary>
    [Range(1, 127)]
    public int HangupCause { get; set; } = 21;

    /// <summary>Where <see cref="BlockAction.Redirect"/> sends the caller: context.</summary>
    [RegularExpression("^[A-Za-z0-9_-]*$", ErrorMessage = "must be a context name.")]
    public string RedirectContext { get; set; } = "";

    /// <summary>Where <see cref="BlockAction.Redirect"/> sends the caller: extension.</summary>
    [RegularExpression(@"^[A-Za-z0-9*#+_\-]*$", ErrorMessage = "must be an extension.")]
    public string RedirectExtension { get; set; } = "s";

    /// <summary>Where <see cref="BlockAction.Redirect"/> sends the caller: priority.</summary>
    [Range(1, 10000)]
    public int RedirectPriority { get; set; } = 1;

    /// <summary>What happens when the check cannot run.</summary>
    public FailMode FailMode { get; set; } = FailMode.Open;

    /// <summary>Block callers without a usable caller id.</summary>
    public bool BlockAnonymous { get; set; }

    /// <summary>The caller ids that count as anonymous (case-insensitive; an empty caller id always does).</summary>
    public List<string> AnonymousValues { get; set; } = ["unknown", "unavailable", "anonymous", "private", "restricted"];

    /// <summary>Block a caller who starts more than <see cref="FloodMaxCalls"/> calls within <see cref="FloodWindowSeconds"/>.</summary>
    public bool FloodProtection { get; set; } = true;

    /// <summary>Calls allowed within the window before a caller counts as flooding.</summary>
    [Range(2, 10000)]
    public int FloodMaxCalls { get; set; } = 10;

    /// <summary>The flood window, seconds.</summary>
    [Range(1, 86400)]
    public int FloodWindowSeconds { get; set; } = 60;

    /// <summary>How long a flooding caller stays blocked, minutes.</summary>
    [Range(1, 525600)]
    public int FloodBlockMinutes { get; set; } = 60;

    /// <summary>Caller ids at most this long are internal extensions: never counted for floods.</summary>
    [Range(0, 15)]
    public int InternalNumberMaxLength { get; set; } = 5;

    /// <summary>How long blocked calls stay in the log, days.</summary>
    [Range(1, 3650)]
    public int CallLogRetentionDays { get; set; } = 90;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Action == BlockAction.Redirect && string.IsNullOrEmpty(RedirectContext))
            yield return new ValidationResult("must be set when action is Redirect.", [nameof(RedirectContext)]);
        if (InternationalPrefixes.Any(p => p.Length is 0 or > 4 || !p.All(char.IsAsciiDigit)))
            yield return new ValidationResult("each must be 1 to 4 digits, e.g. 00 or 011.", [nameof(InternationalPrefixes)]);
        if (!PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(DefaultRegion))
            yield return new ValidationResult($"'{DefaultRegion}' is not a region libphonenumber knows.", [nameof(DefaultRegion)]);
        if (ValidateSound(validationContext) is { } sound) yield return sound;
    }

    // The name's syntax always (it reaches the dialplan and an AGI command); with PlaySound, also that Asterisk
    // has it, when the validation is given the sound library (the module's own validation is) and the sounds
    // directory can be read. An unreadable directory accepts the name and says so in the log.
    private ValidationResult? ValidateSound(ValidationContext validationContext)
    {
        if (!Sounds.SoundLibrary.IsValidName(Sound))
            return new ValidationResult("must be an Asterisk sound name relative to its sounds directory, without extension: letters, digits, '_' and '-', folders separated by '/' (e.g. custom/you-are-blocked); no '..', no leading '/'.", [nameof(Sound)]);
        if (Action != BlockAction.PlaySound || validationContext.GetService(typeof(Sounds.SoundLibrary)) is not Sounds.SoundLibrary sounds) return null;
        var (presence, reason) = sounds.Find(Sound);
        if (presence == Sounds.SoundPresence.Missing)
            return new ValidationResult($"'{Sound}' is not installed: there is no {Sound}.<format> in '{sounds.Directory}' or its language folders. Install it there, or choose another sound.", [nameof(Sound)]);
        if (presence == Sounds.SoundPresence.Unknown) sounds.ReportUnchecked(Sound, reason!);
        return null;
    }
}
