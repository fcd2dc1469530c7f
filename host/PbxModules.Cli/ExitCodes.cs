namespace PbxModules.Cli;

/// <summary>The exit codes of <c>pbx-modules</c>, for scripts.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The daemon refused or the operation failed (its messages say why); also bad command-line usage, as System.CommandLine reports it.</summary>
    public const int Failed = 1;

    /// <summary>The daemon could not be reached (not running, wrong socket or URL).</summary>
    public const int Unreachable = 3;

    /// <summary>The daemon refused the credentials (HTTP 401) or the key lacks the permission (403).</summary>
    public const int Unauthorized = 4;
}
