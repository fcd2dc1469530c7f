using System.ComponentModel.DataAnnotations;

namespace ModuleFoo.Settings;

/// <summary>
/// What the PBX's administrator configures for the module: the configuration section
/// <c>Modules:module-foo</c> (e.g. the environment variable <c>Modules__module-foo__DefaultSound</c>).
/// Validated when the module starts: a bad value stops the module with the field's message instead
/// of failing on a call.
/// </summary>
public sealed class FooOptions
{
    /// <summary>
    /// The sound played to a caller without a greeting of their own, as Asterisk names it (no extension),
    /// e.g. <c>hello-world</c> or <c>custom/welcome</c>.
    /// </summary>
    [Required]
    [RegularExpression(SoundName.Pattern, ErrorMessage = SoundName.Message)]
    public string DefaultSound { get; set; } = "hello-world";
}
