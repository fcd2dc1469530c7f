using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PbxModules.Cli.Output;

namespace PbxModules.Cli.Commands;

/// <summary><c>apikey create | list | revoke</c>: the <c>/api-keys</c> routes.</summary>
internal static class ApiKeyCommands
{
    private const string ApiKeys = "api-keys";

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "What the key is for (e.g. the script or host that uses it)." };
        var roles = new Option<string[]>("--role") { Description = "A role the key holds (repeatable); admin holds everything.", AllowMultipleArgumentsPerToken = false };
        var permissions = new Option<string[]>("--permission") { Description = "A permission the key holds, Resource:Action or Resource:* (repeatable), e.g. Modules:Read." };
        var expires = new Option<string?>("--expires") { Description = "When the key stops working (ISO 8601, e.g. 2027-01-31 or 2027-01-31T12:00:00Z); default never." };
        var create = new Command("create", "Creates an API key for --url callers; the key is shown this once. Without --role or --permission the key holds nothing.") { name, roles, permissions, expires };
        create.SetAction(context.Run(async (parse, output, ct) =>
        {
            DateTimeOffset? expiresAt = null;
            if (parse.GetValue(expires) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    throw new CliException($"--expires '{text}' is not a date; write it as 2027-01-31 or 2027-01-31T12:00:00Z.");
                expiresAt = parsed;
            }
            using var client = context.Client(parse);
            using var body = JsonContent.Create(new CreateRequest(parse.GetValue(name)!, parse.GetValue(roles) ?? [], parse.GetValue(permissions) ?? [], expiresAt));
            var reply = await client.SendAsync(HttpMethod.Post, ApiKeys, body, ct);
            if (output.Json)
            {
                output.WriteJson(reply.Data);
                return ExitCodes.Ok;
            }
            var key = Json.Get(reply.Data, "apiKey");
            output.Line($"API key {Json.Text(key, "id")} '{Json.Text(key, "name")}' created (key id {Json.Text(key, "keyId")}).");
            output.Line($"Key: {Json.Text(reply.Data, "key")}");
            output.Line($"It is shown this once: store it now (e.g. export {CliEnvironment.ApiKeyVariable}=…).");
            return ExitCodes.Ok;
        }));

        var list = new Command("list", "Lists the API keys, never their secrets.");
        list.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var keys = await client.ListAllAsync(ApiKeys, ct);
            return output.List(keys, "No API key exists. Create one with `pbx-modules apikey create NAME --role admin`.",
                ["ID", "KEY ID", "NAME", "ROLES", "PERMISSIONS", "CREATED", "EXPIRES", "REVOKED", "LAST USED"], k =>
                [
                    Json.Text(k, "id"), Json.Text(k, "keyId"), Json.Text(k, "name"), Json.Text(k, "roles"), Json.Text(k, "permissions"),
                    Json.Time(k, "createdAt"), Json.Time(k, "expiresAt"), Json.Time(k, "revokedAt"), Json.Time(k, "lastUsedAt"),
                ]);
        }));

        var id = new Argument<int>("id") { Description = "The key's number (the ID column of `apikey list`)." };
        var revoke = new Command("revoke", "Revokes an API key at once.") { id };
        revoke.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            return CliContext.Report(output, await client.SendAsync(HttpMethod.Delete, $"{ApiKeys}/{parse.GetValue(id).ToString(CultureInfo.InvariantCulture)}", null, ct));
        }));

        return new Command("apikey", "API keys, for callers of the REST API over TCP (--url).") { create, list, revoke };
    }

    private sealed record CreateRequest(string Name, string[] Roles, string[] Permissions, DateTimeOffset? ExpiresAt);
}
