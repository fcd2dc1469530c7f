using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PbxModules.Cli.Daemon;
using PbxModules.Cli.Output;

namespace PbxModules.Cli.Commands;

/// <summary><c>module list | info | available | install | upgrade | enable | disable | uninstall</c>: the <c>/modules</c> routes.</summary>
internal static class ModuleCommands
{
    private const string Modules = "modules";

    public static Command Create(CliContext context)
    {
        var id = () => new Argument<string>("id") { Description = "The module's id (as `module list` shows it)." };

        var list = new Command("list", "Lists the installed modules: version, state, and why one failed or was disabled.");
        list.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var modules = await client.ListAllAsync(Modules, ct);
            // Signatures show once the daemon reports them (module packages); a column nobody fills is left out.
            var signed = modules.Any(m => Json.Get(m, "package").ValueKind == JsonValueKind.Object);
            string[] headers = signed ? ["ID", "VERSION", "STATE", "SIGNED", "NAME", "NOTE"] : ["ID", "VERSION", "STATE", "NAME", "NOTE"];
            return output.List(modules, "No module is installed. Install one with `pbx-modules module install <file.nupkg | id[@version]>`.", headers, m =>
            {
                var row = new List<string> { Json.Text(m, "id"), Json.Text(m, "installedVersion", "version"), Json.Text(m, "state") };
                if (signed) row.Add(Signature(m));
                row.Add(Json.Text(m, "name"));
                row.Add(Note(m));
                return row;
            });
        }));

        var infoId = id();
        var info = new Command("info", "Shows one installed module.") { infoId };
        info.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var reply = await client.SendAsync(HttpMethod.Get, $"{Modules}/{Escape(parse.GetValue(infoId)!)}", null, ct);
            if (output.Json) output.WriteJson(reply.Data);
            else WriteRecord(output, reply.Data);
            return ExitCodes.Ok;
        }));

        var available = new Command("available", "Lists what the module feeds (Modules:Sources) offer: versions, the newest one this daemon can run, and whether it updates an installed module.");
        available.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var reply = await client.SendAsync(HttpMethod.Get, Modules + ":available", null, ct);
            var warnings = reply.Messages("warning");
            foreach (var warning in warnings) output.Warning(warning);
            if (output.Json)
            {
                output.WriteJson(reply.Data);
                return ExitCodes.Ok;
            }
            // A list of modules, or an object holding one beside the feeds' problems; the daemon also puts each
            // problem in the envelope's warnings, written above: each is said once.
            var offered = reply.Data.ValueKind == JsonValueKind.Array ? reply.Data : Json.Get(reply.Data, "modules");
            foreach (var problem in Json.Get(reply.Data, "problems") is { ValueKind: JsonValueKind.Array } problems ? problems.EnumerateArray() : default)
                if (!warnings.Contains(Json.Format(problem))) output.Warning(Json.Format(problem));
            if (offered.ValueKind != JsonValueKind.Array || offered.GetArrayLength() == 0)
            {
                output.Line("The feeds offer no module. Put .nupkg files in the local feed folder, or add a source to Modules:Sources.");
                return ExitCodes.Ok;
            }
            output.Table(["ID", "INSTALLED", "NEWEST COMPATIBLE", "UPDATE", "VERSIONS"], offered.EnumerateArray().Select(m => (IReadOnlyList<string>)
            [
                Json.Text(m, "id"),
                Json.Text(m, "installedVersion", "installed"),
                Json.Text(m, "newestCompatibleVersion", "newestCompatible", "latestCompatible"),
                Json.Get(m, "updateAvailable").ValueKind == JsonValueKind.True ? "available" : "",
                Versions(Json.Get(m, "versions")),
            ]));
            return ExitCodes.Ok;
        }));

        var target = new Argument<string>("package") { Description = "A .nupkg file to upload, or id[@version] to install from the feeds (the newest compatible version when none is given)." };
        var noEnable = new Option<bool>("--no-enable") { Description = "Installs the module without enabling it." };
        var install = new Command("install", "Installs a module from a package file or from the feeds; the daemon verifies it (signature, SDK range, dependencies) before anything changes.") { target, noEnable };
        install.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var what = parse.GetValue(target)!;
            var enable = !parse.GetValue(noEnable);
            using var content = InstallContent(what, enable);
            return CliContext.Report(output, await client.SendAsync(HttpMethod.Post, Modules + ":install", content, ct));
        }));

        var upgradeId = id();
        var version = new Option<string?>("--version") { Description = "The version to upgrade to; default the newest compatible one on the feeds." };
        var file = new Option<string?>("--file") { Description = "A .nupkg of the module to upload and upgrade to, instead of a version from the feeds." };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Allows the version (--version, or the --file package's) to be older than the installed one." };
        var upgrade = new Command("upgrade", "Upgrades an installed module from the feeds, or to the package of --file; on any failure the previous version and its data are put back.") { upgradeId, version, file, allowDowngrade };
        upgrade.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            using var content = UpgradeContent(parse.GetValue(file), parse.GetValue(version), parse.GetValue(allowDowngrade));
            return CliContext.Report(output, await client.SendAsync(HttpMethod.Post, $"{Modules}/{Escape(parse.GetValue(upgradeId)!)}:upgrade", content, ct));
        }));

        var enableCommand = Transition(context, "enable", "Enables a module: loads it and wires it into every surface.", id());
        var disableCommand = Transition(context, "disable", "Disables a module: drains its calls and unloads it; its data stays.", id());

        var uninstallId = id();
        var purge = new Option<bool>("--purge") { Description = "Also deletes the module's data (its database and files); without it they are kept for a later reinstall." };
        var uninstall = new Command("uninstall", "Uninstalls a module; refused while an enabled module depends on it.") { uninstallId, purge };
        uninstall.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var keepData = parse.GetValue(purge) ? "false" : "true";
            return CliContext.Report(output, await client.SendAsync(HttpMethod.Delete, $"{Modules}/{Escape(parse.GetValue(uninstallId)!)}?keepData={keepData}", null, ct));
        }));

        return new Command("module", "The installed modules and the feeds.") { list, info, available, install, upgrade, enableCommand, disableCommand, uninstall };
    }

    private static Command Transition(CliContext context, string verb, string description, Argument<string> id)
    {
        var command = new Command(verb, description) { id };
        command.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            return CliContext.Report(output, await client.SendAsync(HttpMethod.Post, $"{Modules}/{Escape(parse.GetValue(id)!)}:{verb}", null, ct));
        }));
        return command;
    }

    /// <summary>The install request: the file as multipart (field <c>package</c>), or <c>{ id, version, enable }</c>.</summary>
    private static HttpContent InstallContent(string what, bool enable)
    {
        if (File.Exists(what)) return PackageForm(what, enable ? null : ("enable", "false"));
        // Something that names a file but is not one is a typo, not a package id.
        if (what.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) || what.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new CliException($"No file {Path.GetFullPath(what)}: pass the path of a .nupkg, or a module id (id or id@version) to install from the feeds.");
        var at = what.IndexOf('@', StringComparison.Ordinal);
        var (id, version) = at < 0 ? (what, null) : (what[..at], what[(at + 1)..]);
        if (id.Length == 0 || version is { Length: 0 })
            throw new CliException($"'{what}' is not id or id@version (e.g. module-black-list@1.2.0).");
        return JsonContent.Create(new InstallRequest(id, version, enable));
    }

    /// <summary>The upgrade request: <paramref name="file"/> as multipart (with <c>allowDowngrade</c>), or <c>{ version, allowDowngrade }</c> from the feeds.</summary>
    private static HttpContent UpgradeContent(string? file, string? version, bool allowDowngrade)
    {
        if (file is null) return JsonContent.Create(new UpgradeRequest(version, allowDowngrade));
        if (version is not null)
            throw new CliException($"--file and --version both say which version to upgrade to: the package {file} is its own version. Pass one of them.");
        if (!File.Exists(file))
            throw new CliException($"No file {Path.GetFullPath(file)}: pass the path of the module's .nupkg to --file, or leave --file out to upgrade from the feeds.");
        return PackageForm(file, allowDowngrade ? ("allowDowngrade", "true") : null);
    }

    /// <summary>A form with the package file in field <c>package</c>, the file read as the form is sent (never whole in memory), and one flag field.</summary>
    private static MultipartFormDataContent PackageForm(string path, (string Name, string Value)? flag)
    {
        var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "package", Path.GetFileName(path));
        if (flag is { } field) form.Add(new StringContent(field.Value), field.Name);
        return form;
    }

    private static void WriteRecord(CliOutput output, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            output.Line(Json.Format(record));
            return;
        }
        var rows = record.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)).ToList();
        var width = rows.Count == 0 ? 0 : rows.Max(p => p.Name.Length) + 1;
        foreach (var property in rows) output.Line((property.Name + ":").PadRight(width) + " " + Json.Format(property.Value));
    }

    private static string Signature(JsonElement module)
    {
        // "package" is null for a module deployed as a folder (the build's embedded default), not from a package.
        var package = Json.Get(module, "package");
        if (package.ValueKind != JsonValueKind.Object) return "";
        return Json.Get(package, "signed").ValueKind == JsonValueKind.True ? Json.Text(package, "signerSubject", "signer") is { Length: > 0 } by ? "yes (" + by + ")" : "yes" : "UNSIGNED";
    }

    private static string Note(JsonElement module)
    {
        var quarantine = Json.Get(module, "quarantine");
        if (quarantine.ValueKind == JsonValueKind.Object)
            return $"quarantined until {Json.Time(quarantine, "retryAt")}: {Json.Text(quarantine, "reason")}";
        return Json.Text(module, "failureReason");
    }

    private static string Versions(JsonElement versions)
    {
        if (versions.ValueKind != JsonValueKind.Array) return "";
        return string.Join(", ", versions.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Object ? Json.Text(v, "version") : Json.Format(v)));
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private sealed record InstallRequest(string Id, string? Version, bool Enable);

    private sealed record UpgradeRequest(string? Version, bool AllowDowngrade);
}
