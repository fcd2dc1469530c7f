using ModuleBlackList.Sounds;

namespace ModuleBlackList.Settings;

/// <summary>What the settings' own validation rules may ask for (<c>ValidationContext.GetService</c>): the sound library only.</summary>
internal sealed class SoundValidationServices(SoundLibrary sounds) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(SoundLibrary) ? sounds : null;
}
