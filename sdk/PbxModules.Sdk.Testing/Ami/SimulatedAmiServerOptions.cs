namespace PbxModules.Sdk.Testing.Ami;

/// <summary>How the <see cref="SimulatedAmiServer"/> behaves. Defaults match the captured Asterisk 20.</summary>
public sealed class SimulatedAmiServerOptions
{
    /// <summary>The accepted user. Default <c>admin</c>.</summary>
    public string Username { get; set; } = "admin";

    /// <summary>The accepted secret (plain login, or <c>Key = md5hex(challenge + secret)</c>). Default <c>admin-secret</c>.</summary>
    public string Secret { get; set; } = "admin-secret";

    /// <summary>The AMI protocol version in the banner. Default <c>9.0.0</c>.</summary>
    public string AmiVersion { get; set; } = "9.0.0";

    /// <summary>The Asterisk version reported by <c>CoreSettings</c> and <c>core show version</c>. Default <c>20.20.1</c>.</summary>
    public string AsteriskVersion { get; set; } = "20.20.1";

    /// <summary>The port to listen on; 0 (default) picks a free one, see <see cref="SimulatedAmiServer.Port"/>.</summary>
    public int Port { get; set; }

    /// <summary>
    /// How long a wrong login waits before answering and closing. Asterisk waits 1 s (default);
    /// tests may shorten it.
    /// </summary>
    public TimeSpan FailedLoginDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Makes the challenge for <c>Challenge</c> logins; default a random 9-digit number as Asterisk does.</summary>
    public Func<string> ChallengeFactory { get; set; } = () => Random.Shared.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
