using Microsoft.Extensions.Options;

namespace PbxModules.Asterisk.Ami;

/// <summary>Checks the relations between AMI options that attributes cannot express.</summary>
internal sealed class AmiClientOptionsValidator : IValidateOptions<AmiClientOptions>
{
    public ValidateOptionsResult Validate(string? name, AmiClientOptions options)
    {
        var errors = new List<string>();
        if (options.Transport == AmiTransport.Http && !options.HttpUrl.IsAbsoluteUri)
            errors.Add("Ami:HttpUrl must be an absolute URL such as http://127.0.0.1:8088/asterisk/.");
        if (options.ActionTimeout <= TimeSpan.Zero) errors.Add("Ami:ActionTimeout must be positive.");
        if (options.ConnectTimeout <= TimeSpan.Zero) errors.Add("Ami:ConnectTimeout must be positive.");
        if (options.ReconnectMinDelay <= TimeSpan.Zero) errors.Add("Ami:ReconnectMinDelay must be positive.");
        if (options.ReconnectMaxDelay < options.ReconnectMinDelay) errors.Add("Ami:ReconnectMaxDelay must not be below Ami:ReconnectMinDelay.");
        if (options.SubscriberDropWindow <= TimeSpan.Zero) errors.Add("Ami:SubscriberDropWindow must be positive.");
        if (options.SubscriberDropWarningInterval <= TimeSpan.Zero) errors.Add("Ami:SubscriberDropWarningInterval must be positive.");
        if (options.KeepAliveInterval > TimeSpan.Zero && options.KeepAliveTimeout <= TimeSpan.Zero) errors.Add("Ami:KeepAliveTimeout must be positive.");
        if (options.Transport == AmiTransport.Http && options.HttpAuthentication == AmiHttpAuthentication.Cookie
            && options.HttpEventWaitTimeout >= TimeSpan.FromSeconds(60))
            errors.Add("Ami:HttpEventWaitTimeout must be under 60 s: Asterisk's session cookie expires after 60 s without a request.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
