using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PbxModules.Host.Packages;

namespace PbxModules.Host.Tests.Packages;

public sealed class ModulePackageOptionsValidatorTests
{
    private static ModulePackageOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"Modules:{s.Key}", s.Value)))
            .Build();
        return new ServiceCollection().AddPbxPackages(configuration).BuildServiceProvider()
            .GetRequiredService<IOptions<ModulePackageOptions>>().Value;
    }

    [Fact]
    public void Accepts_fingerprints_with_colons_spaces_and_either_case()
    {
        var hex = new string('a', 64);
        var options = Bind(("TrustedSigners:0", hex), ("TrustedSigners:1", string.Join(':', Enumerable.Repeat("0F", 32))), ("TrustedSigners:2", string.Join(' ', Enumerable.Repeat("Ab", 32))));

        Assert.Equal(3, options.TrustedSigners.Count);
    }

    [Theory]
    [InlineData("ABCD")]
    [InlineData("not-a-fingerprint-at-all-not-a-fingerprint-at-all-not-a-fingerpr")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000FF")]
    public void Refuses_a_fingerprint_that_is_not_64_hex_digits_naming_the_key(string fingerprint)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("TrustedSigners:0", new string('A', 64)), ("TrustedSigners:1", fingerprint)));

        Assert.Contains($"Modules:TrustedSigners:1 ('{fingerprint}')", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxPackageBytes", "0")]
    [InlineData("MaxExpandedBytes", "-1")]
    [InlineData("MaxEntries", "0")]
    public void Refuses_a_limit_that_is_not_positive(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Contains($"Modules:{key} must be positive", error.Message, StringComparison.Ordinal);
    }
}
