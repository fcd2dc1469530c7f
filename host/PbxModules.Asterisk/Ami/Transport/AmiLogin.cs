using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami.Transport;

/// <summary>The AMI login sequence over a connection that speaks frames (TCP).</summary>
internal static class AmiLogin
{
    /// <summary>
    /// Logs in: with <see cref="AmiClientOptions.UseChallengeLogin"/>, <c>Challenge</c> (MD5) then
    /// <c>Login</c> with <c>Key = md5hex(challenge + secret)</c>; otherwise <c>Login</c> with <c>Secret</c>.
    /// </summary>
    public static async Task LoginAsync(AmiActionSender send, AmiClientOptions options, CancellationToken cancellationToken)
    {
        AmiAction login;
        if (options.UseChallengeLogin)
        {
            var challenge = await send(new AmiAction("Challenge").With("AuthType", "MD5"), cancellationToken).ConfigureAwait(false);
            if (!challenge.IsSuccess || string.IsNullOrEmpty(challenge["Challenge"]))
                throw new AmiAuthenticationException($"Challenge refused: {challenge.Message ?? challenge.Response}");
            login = new AmiAction("Login")
                .With("AuthType", "MD5")
                .With("Username", options.Username)
                .With("Key", AmiChallenge.ComputeKey(challenge["Challenge"]!, options.Secret));
        }
        else
        {
            login = new AmiAction("Login").With("Username", options.Username).With("Secret", options.Secret);
        }

        if (options.EventMask is not null) login.With("Events", options.EventMask);
        var response = await send(login, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess) throw new AmiAuthenticationException(response.Message ?? response.Response);
    }
}
