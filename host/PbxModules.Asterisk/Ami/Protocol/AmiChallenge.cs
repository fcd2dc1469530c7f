using System.Security.Cryptography;
using System.Text;

namespace PbxModules.Asterisk.Ami.Protocol;

/// <summary>The MD5 challenge login: <c>Key = md5hex(challenge + secret)</c>, so the secret never crosses the wire.</summary>
internal static class AmiChallenge
{
    /// <summary>The lower-case hex MD5 of <paramref name="challenge"/> followed by <paramref name="secret"/>.</summary>
    public static string ComputeKey(string challenge, string secret)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(secret);
#pragma warning disable CA5351 // MD5 is what the AMI protocol defines; it is not our choice.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(challenge + secret));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }
}
