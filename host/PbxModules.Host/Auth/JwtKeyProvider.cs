using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using PbxModules.Host.Configuration;

namespace PbxModules.Host.Auth;

/// <summary>
/// The HMAC-SHA256 key that signs access tokens: <c>Rest:JwtKey</c> when configured, otherwise a
/// random 64-byte key generated at first start and kept in <c>Paths:Data/jwt-signing.key</c>
/// (0600), so tokens survive restarts. The key is never logged.
/// </summary>
internal sealed partial class JwtKeyProvider(IOptions<AuthOptions> options, IOptions<PathsOptions> paths, ILogger<JwtKeyProvider> logger)
{
    /// <summary>The key file's name under <c>Paths:Data</c>.</summary>
    public const string FileName = "jwt-signing.key";

    private readonly Lazy<SymmetricSecurityKey> _key = new(() => Load(options.Value, paths.Value, logger));

    public SymmetricSecurityKey Key => _key.Value;

    private static SymmetricSecurityKey Load(AuthOptions options, PathsOptions paths, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.JwtKey)) return new SymmetricSecurityKey(Decode(options.JwtKey, "Rest:JwtKey"));

        var path = Path.Combine(paths.DataFullPath, FileName);
        if (SecretFile.TryCreate(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))))
            LogGenerated(logger, path);
        return new SymmetricSecurityKey(Decode(File.ReadAllText(path).Trim(), path));
    }

    private static byte[] Decode(string text, string source)
    {
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written >= 32) return buffer[..written];
        var raw = Encoding.UTF8.GetBytes(text);
        return raw.Length >= 32
            ? raw
            : throw new InvalidOperationException($"The JWT signing key from {source} is too short: HMAC-SHA256 needs at least 32 bytes (base64 of 32+ bytes, or 32+ characters).");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated a JWT signing key in {Path} (mode 0600)")]
    private static partial void LogGenerated(ILogger logger, string path);
}
