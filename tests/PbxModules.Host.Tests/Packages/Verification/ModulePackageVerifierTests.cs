using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PbxModules.Host.Packages;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.Host.Tests.Packages.Verification;

public sealed class ModulePackageVerifierTests : IDisposable
{
    private static readonly X509Certificate2 Vendor = SigningCertificates.CreateSelfSigned("CN=PBX vendor, O=Example");
    private static readonly X509Certificate2 Stranger = SigningCertificates.CreateSelfSigned("CN=Someone else");
    private static readonly string VendorFingerprint = SigningCertificates.Sha256Fingerprint(Vendor);

    private readonly PackageTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IModulePackageVerifier TrustingVendor(params (string Key, string? Value)[] more)
        => PackageTestFolder.Verifier([("TrustedSigners:0", VendorFingerprint), .. more]);

    private static IModulePackageVerifier AllowingUnsigned(params (string Key, string? Value)[] more)
        => PackageTestFolder.Verifier([("AllowUnsigned", "true"), .. more]);

    /// <summary>Verifies, expects the refusal, and checks the verifier wrote nothing beside the package.</summary>
    private async Task<PackageRefusal> RefusedAsync(IModulePackageVerifier verifier, string package, PackageRefusalCode code)
    {
        var before = _folder.Contents();
        var check = await verifier.VerifyAsync(package, CancellationToken.None);
        Assert.Null(check.Package);
        var refusal = Assert.IsType<PackageRefusal>(check.Refusal);
        Assert.True(refusal.Code == code, $"Expected {code}, got {refusal.Code}: {refusal.Message}");
        Assert.Equal(before, _folder.Contents());
        return refusal;
    }

    private static async Task<IModulePackage> AcceptedAsync(IModulePackageVerifier verifier, string package)
    {
        var check = await verifier.VerifyAsync(package, CancellationToken.None);
        Assert.True(check.Package is not null, check.Refusal?.Message);
        return check.Package;
    }

    [Fact]
    public async Task Accepts_a_package_signed_by_a_trusted_fingerprint_and_says_who_signed_it()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().SignWith(Vendor));

        var package = await AcceptedAsync(TrustingVendor(), path);

        Assert.Equal("test-good", package.Id);
        Assert.Equal("1.0.0", package.Version.ToString());
        Assert.Equal("GoodModule", package.Manifest.Name);
        Assert.Equal(new PackageSignatureInfo(true, VendorFingerprint, Vendor.Subject), package.Signature);
        Assert.Contains("CN=PBX vendor", package.Signature.SignerSubject, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), package.Sha256);
    }

    [Fact]
    public async Task Accepts_a_trusted_fingerprint_written_with_colons_and_in_lower_case()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().SignWith(Vendor));
        var pasted = string.Join(':', VendorFingerprint.ToLowerInvariant().Chunk(2).Select(c => new string(c)));

        var package = await AcceptedAsync(PackageTestFolder.Verifier(("TrustedSigners:0", pasted)), path);

        Assert.Equal(VendorFingerprint, package.Signature.SignerFingerprint);
    }

    [Fact]
    public async Task Refuses_an_unsigned_package_by_default()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule());

        var refusal = await RefusedAsync(TrustingVendor(), path, PackageRefusalCode.Unsigned);

        Assert.Contains("Modules:AllowUnsigned", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_the_package_by_its_id_and_version_not_by_its_file_name()
    {
        // Uploads and downloads are saved under random names, which would tell an administrator nothing.
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule(), "2b39002a0e2e0ce07cefb3b0618df70b.nupkg");

        var refusal = await RefusedAsync(TrustingVendor(), path, PackageRefusalCode.Unsigned);

        Assert.StartsWith("Package 'test-good 1.0.0' is not signed", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("2b39002a", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_an_unsigned_package_with_AllowUnsigned_and_lists_it_as_unsigned()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule());

        var package = await AcceptedAsync(AllowingUnsigned(), path);

        Assert.Same(PackageSignatureInfo.Unsigned, package.Signature);
        Assert.False(package.Signature.Signed);
    }

    [Fact]
    public async Task Refuses_a_package_signed_by_an_unknown_certificate_showing_its_fingerprint_and_subject()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().SignWith(Stranger));

        var refusal = await RefusedAsync(TrustingVendor(), path, PackageRefusalCode.UnknownSigner);

        Assert.Contains(SigningCertificates.Sha256Fingerprint(Stranger), refusal.Message, StringComparison.Ordinal);
        Assert.Contains("CN=Someone else", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Modules:TrustedSigners", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifies_a_signed_package_even_when_unsigned_ones_are_allowed()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().SignWith(Stranger));

        await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.UnknownSigner);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refuses_a_package_whose_content_changed_after_signing(bool allowUnsigned)
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().SignWith(Vendor));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var assembly = zip.GetEntry("module/GoodModule.dll")!;
            byte[] content;
            using (var stream = assembly.Open()) { using var copy = new MemoryStream(); stream.CopyTo(copy); content = copy.ToArray(); }
            assembly.Delete();
            content[^1] ^= 0xFF;
            using var replaced = zip.CreateEntry("module/GoodModule.dll").Open();
            replaced.Write(content);
        }

        var refusal = await RefusedAsync(TrustingVendor(("AllowUnsigned", allowUnsigned ? "true" : "false")), path, PackageRefusalCode.SignatureInvalid);

        Assert.Contains("changed after it was signed", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_package_whose_signature_file_is_damaged()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().SignWith(Vendor));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry(".signature.p7s")!.Delete();
            var damaged = zip.CreateEntry(".signature.p7s", CompressionLevel.NoCompression);
            // As NuGet writes it (no Unix mode), so that what fails is the signature itself, not the entry holding it.
            damaged.ExternalAttributes = 0;
            using var garbage = damaged.Open();
            garbage.Write("not a PKCS#7 signature"u8);
        }

        var refusal = await RefusedAsync(TrustingVendor(), path, PackageRefusalCode.SignatureInvalid);

        Assert.Contains("does not verify", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.txt", PackageRefusalCode.EntryOutsideFolder)]
    [InlineData("module/../../evil.txt", PackageRefusalCode.EntryOutsideFolder)]
    [InlineData("module\\..\\..\\evil.txt", PackageRefusalCode.EntryOutsideFolder)]
    [InlineData("module/%2E%2E/%2E%2E/evil.txt", PackageRefusalCode.EntryOutsideFolder)]
    [InlineData("/etc/cron.d/evil", PackageRefusalCode.AbsolutePath)]
    [InlineData("C:\\Windows\\evil.dll", PackageRefusalCode.AbsolutePath)]
    [InlineData("C:evil.dll", PackageRefusalCode.AbsolutePath)]
    [InlineData("\\\\server\\share\\evil.dll", PackageRefusalCode.AbsolutePath)]
    public async Task Refuses_an_entry_whose_path_leaves_the_folder_or_is_absolute(string entry, PackageRefusalCode code)
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddRawEntry(new RawZipEntry(entry, "x"u8.ToArray())));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, code);

        Assert.Contains(entry, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_entry_that_is_a_symbolic_link()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddSymbolicLink("module/passwd", "/etc/passwd"));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.Link);

        Assert.Contains("module/passwd", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_entry_that_is_neither_a_file_nor_a_folder()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddRawEntry(new RawZipEntry("module/pipe", []) { UnixMode = RawZipEntry.FifoMode }));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.Link);

        Assert.Contains("neither a file nor a folder", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_package_holding_the_same_entry_twice()
    {
        // Which of the two manifests is checked and which installed would be up to the reader.
        var other = """{ "id": "test-good", "name": "GoodModule", "version": "1.0.0", "sdk": "^1.0.0", "assembly": "Other.dll" }""";
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddRawEntry(new RawZipEntry("module/Module.json", Encoding.UTF8.GetBytes(other))));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.Corrupt);

        Assert.Contains("'module/Module.json' twice", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxPackageBytes", "1000", PackageRefusalCode.TooLarge)]
    [InlineData("MaxEntries", "3", PackageRefusalCode.ExpandsTooLarge)]
    public async Task Refuses_a_package_file_larger_or_with_more_entries_than_allowed(string limit, string value, PackageRefusalCode code)
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule());

        var refusal = await RefusedAsync(AllowingUnsigned((limit, value)), path, code);

        Assert.Contains($"Modules:{limit} ({value})", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_package_whose_entries_declare_more_than_MaxExpandedBytes()
    {
        // A megabyte of zeros compresses to a few hundred bytes: a small package that expands far.
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddModuleFile("zeros.bin", new byte[1024 * 1024]));

        var refusal = await RefusedAsync(AllowingUnsigned(("MaxExpandedBytes", "524288")), path, PackageRefusalCode.ExpandsTooLarge);

        Assert.Contains("Modules:MaxExpandedBytes (524288 bytes)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_entry_declaring_a_huge_size()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddRawEntry(new RawZipEntry("module/bomb.bin", "x"u8.ToArray()) { DeclaredLength = 4_000_000_000 }));

        await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.ExpandsTooLarge);
    }

    [Fact]
    public async Task Refuses_an_entry_that_holds_more_than_the_size_it_declares()
    {
        // A zip bomb that declares 100 bytes: the zip reader stops there, so what comes out is not the entry's content.
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddRawEntry(new RawZipEntry("module/bomb.bin", new byte[4 * 1024 * 1024]) { DeclaredLength = 100 }));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.Corrupt);

        Assert.Contains("'module/bomb.bin'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dependency")]
    [InlineData]
    public async Task Refuses_a_package_of_another_package_type(params string[] types)
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().WithPackageTypes(types));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.WrongPackageType);

        Assert.Contains("PbxModule", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_package_without_module_json()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().RemoveModuleFile("module.json"));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.NoManifest);

        Assert.Contains("module/module.json", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("one", "assembly.dll", "Field 'version'")]
    [InlineData("1.0.0", "Missing.dll", "Field 'assembly': 'Missing.dll' is not in the package's module/ folder")]
    public async Task Refuses_an_invalid_manifest_naming_the_field(string version, string assembly, string expected)
    {
        var manifest = $$"""{ "id": "test-good", "name": "GoodModule", "version": "{{version}}", "sdk": "^1.0.0", "assembly": "{{assembly}}" }""";
        var path = await _folder.BuildAsync(new ModulePackageBuilder("test-good", "1.0.0").AddModuleFolder(PackageTestFolder.GoodModuleFolder).AddModuleFile("module.json", manifest));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.InvalidManifest);

        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_package_whose_id_is_not_the_module_id()
    {
        var path = await _folder.BuildAsync(new ModulePackageBuilder("test-other", "1.0.0").AddModuleFolder(PackageTestFolder.GoodModuleFolder));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.IdMismatch);

        Assert.Contains("'test-other'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("'test-good'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_package_whose_version_is_not_the_module_version()
    {
        var path = await _folder.BuildAsync(new ModulePackageBuilder("test-good", "1.0.1").AddModuleFolder(PackageTestFolder.GoodModuleFolder));

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.VersionMismatch);

        Assert.Contains("1.0.1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compares_the_package_and_module_versions_as_normalised_SemVer()
    {
        var path = await _folder.BuildAsync(new ModulePackageBuilder("test-good", "1.0").AddModuleFolder(PackageTestFolder.GoodModuleFolder));

        var package = await AcceptedAsync(AllowingUnsigned(), path);

        Assert.Equal("1.0.0", package.Version.ToString());
    }

    [Fact]
    public async Task Refuses_a_module_built_for_an_sdk_this_host_does_not_provide()
    {
        var manifest = """{ "id": "test-good", "name": "GoodModule", "version": "1.0.0", "sdk": "^99.0.0", "assembly": "GoodModule.dll" }""";
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule().AddModuleFile("module.json", manifest).SignWith(Vendor));

        var refusal = await RefusedAsync(TrustingVendor(), path, PackageRefusalCode.IncompatibleSdk);

        Assert.Contains("Field 'sdk' ('^99.0.0')", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_truncated_package()
    {
        var good = await _folder.BuildAsync(PackageTestFolder.GoodModule(), "good.nupkg");
        var bytes = await File.ReadAllBytesAsync(good);
        var path = _folder.PathOf("truncated.nupkg");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.Corrupt);
    }

    [Fact]
    public async Task Refuses_a_file_that_is_not_a_zip()
    {
        var path = _folder.PathOf("text.nupkg");
        await File.WriteAllTextAsync(path, "this is not a package");

        var refusal = await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.Corrupt);

        Assert.Contains("text.nupkg", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_zip_without_a_nuspec()
    {
        var path = _folder.PathOf("plain.nupkg");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("module/module.json").Open())
            entry.Write(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(PackageTestFolder.GoodModuleFolder, "module.json"))));

        await RefusedAsync(AllowingUnsigned(), path, PackageRefusalCode.Corrupt);
    }

    [Fact]
    public async Task Refuses_a_path_where_there_is_no_file()
    {
        await RefusedAsync(AllowingUnsigned(), _folder.PathOf("missing.nupkg"), PackageRefusalCode.Corrupt);
    }
}
