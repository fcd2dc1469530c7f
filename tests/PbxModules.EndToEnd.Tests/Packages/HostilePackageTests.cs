using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// <c>POST /pbxcore/api/v3/modules:install</c> of the real daemon attacked over its real REST port with
/// crafted uploads: each is refused with its status and <c>data.code</c>, a message naming the problem, and
/// nothing changed (files of the modules and data folders, the module list); the daemon serves calls after.
/// </summary>
public sealed class HostilePackageTests(HostileDaemon daemon) : IClassFixture<HostileDaemon>
{
    [Theory]
    [InlineData("zip-slip", "EntryOutsideFolder", "module/../../escaped.txt")]
    [InlineData("zip-slip-from-root", "EntryOutsideFolder", "../escaped.txt")]
    [InlineData("absolute-path", "AbsolutePath", "/tmp/pbxmodules-hostile-absolute.txt")]
    [InlineData("symbolic-link", "Link", "module/passwd")]
    [InlineData("zip-bomb", "ExpandsTooLarge", "Modules:MaxExpandedBytes (1048576 bytes)")]
    [InlineData("zip-bomb-lying", "Corrupt", "'module/bomb.bin' whose content does not match its checksum")]
    [InlineData("wrong-type", "WrongPackageType", "Dependency")]
    [InlineData("unsigned", "Unsigned", "Modules:AllowUnsigned")]
    [InlineData("unknown-signer", "UnknownSigner", "CN=Nobody this host trusts")]
    [InlineData("tampered", "SignatureInvalid", "content changed after it was signed")]
    [InlineData("not-a-zip", "Corrupt", "not a readable NuGet package")]
    public async Task A_crafted_package_is_refused_422_with_its_code_and_a_message_naming_the_problem_and_nothing_changes(string attack, string code, string named)
    {
        var bytes = await BuildAsync(attack);
        await RefusedAsync(() => daemon.InstallAsync(bytes), 422, code, named);
    }

    [Fact]
    public async Task A_form_without_a_package_field_is_400_and_nothing_changes()
    {
        await RefusedAsync(() => daemon.PostAsync(new MultipartFormDataContent { { new StringContent("/etc/passwd"), "path" } }), 400, null, "unknown field 'path'");
        await RefusedAsync(() => daemon.PostAsync(new MultipartFormDataContent { { new StringContent("false"), "enable" } }), 400, null, "no 'package' field");
    }

    [Fact]
    public async Task A_chunked_upload_past_MaxPackageBytes_is_refused_413_while_it_still_arrives_and_the_connection_is_closed()
    {
        var before = daemon.DiskSnapshot();
        var modules = await daemon.ModulesAsync();

        // A body that never ends (no closing boundary, no last chunk), without Content-Length: the daemon can
        // answer only by refusing it part way, and must then close the connection rather than read on.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, daemon.Daemon.RestPort, deadline.Token);
        var stream = client.GetStream();
        const string boundary = "h0stile";
        var head = $"POST {HostileDaemon.InstallPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\n\r\n";
        var opening = $"--{boundary}\r\nContent-Disposition: form-data; name=\"package\"; filename=\"big.nupkg\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + Chunk(opening.Length) + opening + "\r\n"), deadline.Token);

        using var answered = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        var sent = 0L;
        var sending = Task.Run(async () =>
        {
            var data = new byte[16 * 1024];
            var chunk = Encoding.ASCII.GetBytes(Chunk(data.Length)).Concat(data).Concat("\r\n"u8.ToArray()).ToArray();
            try
            {
                while (!answered.IsCancellationRequested)
                {
                    await stream.WriteAsync(chunk, answered.Token);
                    sent += data.Length;
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The daemon closed the connection, or answered: either way the upload is over.
            }
        });

        // Read until the daemon closes the connection: the answer, then the end of the stream.
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var closed = false;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                answered.Cancel();
            }
            closed = true;
        }
        catch (IOException) when (received.Length > 0)
        {
            // Reset: the daemon closed with part of the body unread, as it should.
            closed = true;
        }
        answered.Cancel();
        await sending;

        Assert.True(closed, "the daemon did not close the connection after refusing the upload");
        var (status, headers, body) = ParseAnswer(received.ToArray());
        Assert.True(status == 413, $"HTTP {status}: {headers}\n{body}");
        Assert.True(body.GetProperty("data").ValueKind == JsonValueKind.Object, $"HTTP {status}: {headers}\n{body}");
        Assert.Contains("connection: close", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("TooLarge", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Contains($"Modules:MaxPackageBytes ({HostileDaemon.MaxPackageBytes} bytes)", Error(body), StringComparison.Ordinal);
        Assert.True(sent > HostileDaemon.MaxPackageBytes, $"only {sent} bytes were sent before the answer");

        Assert.Equal(before, daemon.DiskSnapshot());
        Assert.Equal(modules, await daemon.ModulesAsync());
        await daemon.AssertServesCallsAsync();
    }

    private async Task RefusedAsync(Func<Task<(int Status, JsonElement Envelope)>> send, int status, string? code, string named)
    {
        var before = daemon.DiskSnapshot();
        var modules = await daemon.ModulesAsync();

        var (answered, envelope) = await send();

        Assert.True(answered == status, $"HTTP {answered}: {envelope}");
        Assert.False(envelope.GetProperty("success").GetBoolean());
        if (code is not null) Assert.Equal(code, envelope.GetProperty("data").GetProperty("code").GetString());
        Assert.Contains(named, Error(envelope), StringComparison.Ordinal);
        Assert.Equal(before, daemon.DiskSnapshot());
        Assert.Equal(modules, await daemon.ModulesAsync());
        Assert.DoesNotContain(HostileDaemon.HostileId, modules, StringComparison.Ordinal);
        await daemon.AssertServesCallsAsync();
    }

    private async Task<byte[]> BuildAsync(string attack)
    {
        var package = daemon.Package();
        var path = daemon.Upload(attack);
        switch (attack)
        {
            case "zip-slip": package.AddRawEntry(new RawZipEntry("module/../../escaped.txt", "escaped"u8.ToArray())).SignWith(daemon.Vendor); break;
            case "zip-slip-from-root": package.AddRawEntry(new RawZipEntry("../escaped.txt", "escaped"u8.ToArray())).SignWith(daemon.Vendor); break;
            case "absolute-path": package.AddRawEntry(new RawZipEntry("/tmp/pbxmodules-hostile-absolute.txt", "escaped"u8.ToArray())).SignWith(daemon.Vendor); break;
            case "symbolic-link": package.AddSymbolicLink("module/passwd", "/etc/passwd").SignWith(daemon.Vendor); break;
            // Zeros compress to almost nothing: a small upload that expands past Modules:MaxExpandedBytes, honestly or lying about it.
            case "zip-bomb": package.AddRawEntry(new RawZipEntry("module/bomb.bin", new byte[4 * HostileDaemon.MaxExpandedBytes])).SignWith(daemon.Vendor); break;
            case "zip-bomb-lying": package.AddRawEntry(new RawZipEntry("module/bomb.bin", new byte[4 * HostileDaemon.MaxExpandedBytes]) { DeclaredLength = 100 }).SignWith(daemon.Vendor); break;
            case "wrong-type": package.WithPackageTypes("Dependency").SignWith(daemon.Vendor); break;
            case "unsigned": break;
            case "unknown-signer": package.SignWith(daemon.Stranger); break;
            case "tampered":
                await package.SignWith(daemon.Vendor).BuildAsync(path);
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
                {
                    zip.GetEntry("module/HostileModule.dll")!.Delete();
                    await using var replaced = zip.CreateEntry("module/HostileModule.dll").Open();
                    await replaced.WriteAsync(new byte[2048]);
                }
                return await File.ReadAllBytesAsync(path);
            case "not-a-zip": return Encoding.UTF8.GetBytes("This is a text file named .nupkg, not a zip.\n");
            default: throw new ArgumentOutOfRangeException(nameof(attack), attack, "no such attack");
        }
        await package.BuildAsync(path);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length < HostileDaemon.MaxPackageBytes, $"the {attack} package is {bytes.Length} bytes: past the upload limit, it would test that instead");
        return bytes;
    }

    private static string Chunk(int length) => $"{length:x}\r\n";

    private static string Error(JsonElement envelope) => string.Join(" ", envelope.GetProperty("messages").GetProperty("error").EnumerateArray().Select(e => e.GetString()));

    // An HTTP/1.1 answer read up to the connection's end: status, headers, and its JSON body (Content-Length or chunked).
    private static (int Status, string Headers, JsonElement Body) ParseAnswer(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no HTTP answer: '{text}'");
        var headers = text[..end];
        var body = text[(end + 4)..];
        if (headers.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var joined = new StringBuilder();
            for (var at = 0; ;)
            {
                var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = Convert.ToInt32(body[at..line], 16);
                if (size == 0) break;
                joined.Append(body, line + 2, size);
                at = line + 2 + size + 2;
            }
            body = joined.ToString();
        }
        using var json = JsonDocument.Parse(body);
        return (int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, json.RootElement.Clone());
    }
}
