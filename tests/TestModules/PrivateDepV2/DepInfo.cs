namespace TestPrivateDep;

/// <summary>Says which build of the dependency was loaded.</summary>
public static class DepInfo
{
    /// <summary>"2" in version 2 (a property, not a constant, so the loaded assembly decides).</summary>
    public static string Version => "2";
}
