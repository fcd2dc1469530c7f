using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PbxModules.Host.Auth;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Installing;
using PbxModules.Sdk.Rest;
using Semver;

namespace PbxModules.Host.Rest;

/// <summary>
/// <c>POST /pbxcore/api/v3/modules:install</c> and <c>POST /modules/{id}:upgrade</c>: a package uploaded
/// (multipart, field <c>package</c>) or a module from the feeds (JSON). The upload streams to disk
/// within <c>Modules:MaxPackageBytes</c>; these two endpoints take that much (plus the multipart framing),
/// every other endpoint keeps the JSON limit, and so does a JSON body here. No request names a path on the
/// server: a caller could make the daemon read any file it can (the CLI uploads the file instead).
/// </summary>
internal static class ModuleInstallEndpoints
{
    /// <summary>What a multipart body may hold beyond the package: boundaries, part headers, the small fields.</summary>
    public const long MultipartFramingBytes = 64 * 1024;

    /// <summary>The form field of the package file.</summary>
    public const string PackageField = "package";

    private const int MaxFieldBytes = 16;

    private const string RefusalSummary = " Every refusal is in the error envelope with data.code, the PackageRefusalCode (e.g. \"UnknownSigner\"; null when a lifecycle hook or the load failed), and data.module when the module is installed: 400 malformed request, 413 too large (TooLarge), 422 package refused (signature, manifest, layout, SDK, dependencies), 409 conflict (AlreadyInstalled, Downgrade, or the transition failed and was rolled back), 404 not on the feeds (NotFoundOnFeeds) or not installed (NotInstalled), 502 a feed could not be read (FeedUnavailable).";

    /// <summary>Maps the two endpoints under <paramref name="api"/> (the <c>/pbxcore/api/v3</c> group).</summary>
    public static IEndpointRouteBuilder MapModuleInstallEndpoints(this IEndpointRouteBuilder api)
    {
        var packages = api.ServiceProvider.GetRequiredService<IOptions<ModulePackageOptions>>().Value;
        var write = Permissions.Policy(Permissions.ModulesWrite);
        // Endpoint metadata beats the group's JSON limit: routing gives it to the server when these are matched.
        var uploadLimit = new RequestBodyLimit(packages.MaxPackageBytes + MultipartFramingBytes);

        api.MapPost("modules:install", InstallAsync).WithTags("Modules").RequireAuthorization(write).WithMetadata(uploadLimit)
            .WithSummary("Installs a module: multipart/form-data with the .nupkg in field 'package' (and 'enable'=false to leave it disabled), or JSON {\"id\",\"version\",\"enable\"} from the feeds (version null: the newest this host's SDK runs). Dependencies are installed first, from the feeds. 200 with the module." + RefusalSummary);

        api.MapPost("modules/{id}:upgrade", UpgradeAsync).WithTags("Modules").RequireAuthorization(write).WithMetadata(uploadLimit)
            .WithSummary("Upgrades a module: JSON {\"version\",\"allowDowngrade\"} from the feeds (no body or version null: the newest this host's SDK runs; already there is 200), or multipart/form-data with the .nupkg in field 'package' (and 'allowDowngrade'=true). A failed upgrade puts the previous version and its data back." + RefusalSummary);
        return api;
    }

    [ApiRequestContent("multipart/form-data", FileField = PackageField, Description = "The module package (.nupkg) in field 'package'; optional field 'enable' (true or false, default true).")]
    [ApiRequestContent("application/json", Schema = typeof(InstallFromFeedRequest), Description = "A module from the feeds: id, version (null: the newest compatible), enable (default true).")]
    private static async Task<IResult> InstallAsync(HttpContext context, [FromServices] ModuleInstaller installer, [FromServices] IncomingPackages incoming, [FromServices] IOptions<RestOptions> rest)
    {
        var ct = context.RequestAborted;
        if (IsMultipart(context.Request))
        {
            var form = await ReadFormAsync(context, incoming, "enable");
            await using var upload = form.Upload;
            if (form.Error is not null) return form.Error;
            if (upload is null) return Bad($"The form has no '{PackageField}' field: send the .nupkg as a file in field '{PackageField}' (curl -F {PackageField}=@module.nupkg).");
            return ToResult(await installer.InstallFileAsync(upload.Path!, form.Flag ?? true, ct));
        }

        var (body, error) = await ReadJsonAsync<InstallFromFeedRequest>(context, rest.Value.MaxJsonBodyBytes, allowEmpty: false);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(body!.Id)) return Bad("The body needs \"id\", the module to install from the feeds, e.g. {\"id\":\"module-black-list\"}; or upload a package as multipart/form-data in field 'package'.");
        if (ValidId(body.Id) is { } badId) return badId;
        if (ParseVersion(body.Version, out var version) is { } badVersion) return badVersion;
        return ToResult(await installer.InstallFromFeedsAsync(body.Id, version, body.Enable ?? true, ct));
    }

    [ApiRequestContent("application/json", Schema = typeof(UpgradeRequest), Description = "From the feeds: version (null: the newest compatible), allowDowngrade (default false). An empty body is the newest version.")]
    [ApiRequestContent("multipart/form-data", FileField = PackageField, Description = "The new version's package (.nupkg) in field 'package'; optional field 'allowDowngrade' (true or false, default false).")]
    private static async Task<IResult> UpgradeAsync(string id, HttpContext context, [FromServices] ModuleInstaller installer, [FromServices] IncomingPackages incoming, [FromServices] IOptions<RestOptions> rest)
    {
        var ct = context.RequestAborted;
        if (ValidId(id) is { } badId) return badId;
        if (IsMultipart(context.Request))
        {
            var form = await ReadFormAsync(context, incoming, "allowDowngrade");
            await using var upload = form.Upload;
            if (form.Error is not null) return form.Error;
            if (upload is null) return Bad($"The form has no '{PackageField}' field: send the .nupkg as a file in field '{PackageField}' (curl -F {PackageField}=@module.nupkg), or send JSON to upgrade from the feeds.");
            return ToResult(await installer.UpgradeFileAsync(id, upload.Path!, form.Flag ?? false, ct));
        }

        var (body, error) = await ReadJsonAsync<UpgradeRequest>(context, rest.Value.MaxJsonBodyBytes, allowEmpty: true);
        if (error is not null) return error;
        if (ParseVersion(body?.Version, out var version) is { } badVersion) return badVersion;
        return ToResult(await installer.UpgradeFromFeedsAsync(id, version, body?.AllowDowngrade ?? false, ct));
    }

    /// <summary>The HTTP status of an install or upgrade's outcome.</summary>
    public static int StatusCodeOf(ModuleInstallResult result) => result.Status == ModuleInstallStatus.Done ? StatusCodes.Status200OK : result.Code switch
    {
        PackageRefusalCode.TooLarge => StatusCodes.Status413PayloadTooLarge,
        PackageRefusalCode.NotFoundOnFeeds or PackageRefusalCode.NotInstalled => StatusCodes.Status404NotFound,
        PackageRefusalCode.FeedUnavailable => StatusCodes.Status502BadGateway,
        // What is installed stands in the way (or the transition failed and was rolled back, as enable answers it).
        PackageRefusalCode.AlreadyInstalled or PackageRefusalCode.Downgrade or PackageRefusalCode.HasDependents or null => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    private static IResult ToResult(ModuleInstallResult result) => (result.Status == ModuleInstallStatus.Done
        ? PbxApiResult.Done(result.Message, result.Module)
        : PbxApiResult.Fail(StatusCodeOf(result), result.Message, new ModuleInstallRefusal(result.Code, result.Module))).ToHttpResult();

    private static bool IsMultipart(HttpRequest request)
        => request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    private static IResult Bad(string message) => PbxApiResult.BadRequest(message).ToHttpResult();

    private static IResult? ValidId(string id)
        => id.Length <= 100 && ManifestValidator.KebabCase().IsMatch(id) ? null
            : Bad($"'{(id.Length > 100 ? id[..100] + "…" : id)}' is not a module id: ids are lower-case words joined by '-', e.g. module-black-list.");

    private static IResult? ParseVersion(string? text, out SemVersion? version)
    {
        version = null;
        if (text is null) return null;
        if (SemVersion.TryParse(text, SemVersionStyles.Strict, out var parsed))
        {
            version = parsed;
            return null;
        }
        return Bad($"\"version\" '{(text.Length > 40 ? text[..40] + "…" : text)}' is not a SemVer version such as 1.2.0; leave it out (or null) for the newest version on the feeds.");
    }

    // A JSON body here keeps the JSON limit although the endpoint takes a package's size.
    private static async Task<(T? Body, IResult? Error)> ReadJsonAsync<T>(HttpContext context, long limit, bool allowEmpty) where T : class
    {
        var request = context.Request;
        // No body at all (curl -X POST sends neither Content-Length nor a chunked body) or an empty one.
        if (allowEmpty && (request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })) return (null, null);
        if (!request.HasJsonContentType())
            return (null, PbxApiResult.Fail(StatusCodes.Status415UnsupportedMediaType, $"{request.Method} {request.Path} takes JSON (Content-Type: application/json) or a package as multipart/form-data; the request sent '{request.ContentType ?? "no Content-Type"}'.").ToHttpResult());
        if (request.ContentLength > limit) return (null, JsonTooLarge(context, limit));
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        try
        {
            var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, json, context.RequestAborted);
            return body is null && !allowEmpty ? (null, Bad("The body is JSON null: send an object.")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, Bad($"The body is not valid JSON for {request.Method} {request.Path}: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, JsonTooLarge(context, limit));
        }
    }

    private static IResult JsonTooLarge(HttpContext context, long limit)
    {
        context.Response.Headers.Connection = "close";
        return PbxApiResult.Fail(StatusCodes.Status413PayloadTooLarge, $"A JSON body of {context.Request.Method} {context.Request.Path} may be {limit} bytes (Rest:MaxJsonBodyBytes); send a package as multipart/form-data instead.").ToHttpResult();
    }

    private sealed record Form(PackageUpload? Upload, bool? Flag, IResult? Error);

    // Reads the form part by part: the package streams to the incoming folder as it arrives (bounded),
    // so no form buffering (IFormFile) holds it in memory or in a temporary file of its own.
    private static async Task<Form> ReadFormAsync(HttpContext context, IncomingPackages incoming, string flagField)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
            return new(null, null, Bad("The multipart/form-data request has no valid boundary in its Content-Type."));

        PackageUpload? upload = null;
        bool? flag = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 8 * 1024 };
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                // IsFormDisposition() means a form field without a file name; a file part is form-data too.
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    return Refuse("A part of the form has no Content-Disposition: form-data header.");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (string.Equals(name, PackageField, StringComparison.Ordinal))
                {
                    if (upload is not null) return Refuse($"The form has more than one '{PackageField}' field: send one package per request.");
                    // A value, not a file: curl -F package=x.nupkg (without the '@') sends the path's text, never the package.
                    if (!disposition.IsFileDisposition())
                        return Refuse($"Field '{PackageField}' is a text value, not a file: send the .nupkg as a file (curl -F {PackageField}=@module.nupkg, with the '@').");
                    upload = await incoming.SaveAsync(section.Body, context.RequestAborted);
                    if (upload.Refusal is { } refusal) return TooLarge(refusal);
                }
                else if (string.Equals(name, flagField, StringComparison.Ordinal))
                {
                    var text = await ReadFieldAsync(section.Body, context.RequestAborted);
                    if (!bool.TryParse(text, out var value)) return Refuse($"Field '{flagField}' must be true or false.");
                    flag = value;
                }
                else
                {
                    return Refuse($"The form has an unknown field '{(name is { Length: > 40 } ? name[..40] + "…" : name)}': it takes '{PackageField}' (the .nupkg) and '{flagField}'.");
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server counts a chunked body as it arrives, ahead of what is read: a fast client reaches the request's
            // limit (the package's plus the multipart framing) before the package is read past its own, even before the
            // package's part begins (a slow first request). Same cause, same refusal, wherever in the form it comes.
            if (upload is not null) await upload.DisposeAsync();
            return TooLarge(new PackageRefusal(PackageRefusalCode.TooLarge, IncomingPackages.TooLargeMessage(context.RequestServices.GetRequiredService<IOptions<ModulePackageOptions>>().Value.MaxPackageBytes)));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && ex is not BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            // Framing the reader cannot follow: no closing boundary, a part header too long, a body cut short
            // (not the server's own body limit, a BadHttpRequestException: that is a 413 for the error middleware).
            return Refuse($"The multipart/form-data body is malformed: {ex.Message}");
        }
        catch
        {
            if (upload is not null) await upload.DisposeAsync();
            throw;
        }
        return new(upload, flag, null);

        Form Refuse(string message) => new(upload, flag, Bad(message));

        Form TooLarge(PackageRefusal refusal)
        {
            // The rest of the body is not wanted: close the connection instead of draining it.
            context.Response.Headers.Connection = "close";
            return new(null, null, PbxApiResult.Fail(StatusCodes.Status413PayloadTooLarge, refusal.Message, new ModuleInstallRefusal(refusal.Code, null)).ToHttpResult());
        }
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        return length > MaxFieldBytes ? null : Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }
}
