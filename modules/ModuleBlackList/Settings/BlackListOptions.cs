using System.ComponentModel.DataAnnotations;

namespace ModuleBlackList.Settings;

/// <summary>
/// What the administrator of the machine configures for the module (configuration section
/// <c>Modules:module-black-list</c>, e.g. <c>Modules__module-black-list__SoundsDirectory</c>), as
/// opposed to <see cref="BlackListSettings"/>, which REST users change. Paths on the server stay here,
/// out of reach of the API.
/// </summary>
public sealed class BlackListOptions
{
    /// <summary>Asterisk's sounds directory (<c>astdatadir/sounds</c>), read to check a sound exists before it is saved.</summary>
    [Required]
    public string SoundsDirectory { get; set; } = "/var/lib/asterisk/sounds";

    /// <summary>
    /// The most rows one import may hold (default 100 000). The import is streamed in one transaction,
    /// so a file over the limit is found only when its extra row is read and everything before it is
    /// rolled back: a smaller limit refuses an oversize file sooner.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxImportRows { get; set; } = 100_000;
}
