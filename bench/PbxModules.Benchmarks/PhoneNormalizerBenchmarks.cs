using BenchmarkDotNet.Attributes;
using ModuleBlackList.Matching;

namespace PbxModules.Benchmarks;

/// <summary>
/// ModuleBlackList's number normalisation, which every in-call check pays once for the caller (and
/// once for the route's DID). <see cref="PhoneNormalizer.Normalize"/> parses full numbers with Google's
/// libphonenumber; <see cref="PhoneNormalizer.NormalizePrefix"/> (prefix patterns) applies the same
/// rules by hand. Baseline: the hand-written prefix path, so the ratios say what libphonenumber costs.
/// Region US, international prefixes 00 and 011 (the module's defaults).
/// </summary>
[MemoryDiagnoser]
public class PhoneNormalizerBenchmarks
{
    private readonly PhoneNormalizer _normalizer = new("US", ["00", "011"]);

    [GlobalSetup]
    public void Setup() => _normalizer.Normalize("+18005550100"); // libphonenumber loads its metadata on first use

    /// <summary>A prefix pattern as an administrator writes it: formatting stripped, country code kept.</summary>
    [Benchmark(Baseline = true)]
    public string PrefixPath() => _normalizer.NormalizePrefix("+1 (800) 555*");

    /// <summary>A national prefix pattern: the country code is put in front by hand.</summary>
    [Benchmark]
    public string PrefixPathNational() => _normalizer.NormalizePrefix("800-555*");

    /// <summary>A caller id as a SIP trunk sends it (E.164 with +): libphonenumber parse, possible-number check, E.164 format.</summary>
    [Benchmark]
    public string LibPhoneNumberE164() => _normalizer.Normalize("+18005550100");

    /// <summary>A national caller id, formatted: libphonenumber adds the region's country code.</summary>
    [Benchmark]
    public string LibPhoneNumberNationalFormatted() => _normalizer.Normalize("(800) 555-0100");

    /// <summary>An international-prefix caller id (<c>011</c> + a UK number).</summary>
    [Benchmark]
    public string LibPhoneNumberInternationalPrefix() => _normalizer.Normalize("011442079460000");

    /// <summary>An internal extension: not a possible number for libphonenumber, so its digits are kept.</summary>
    [Benchmark]
    public string LibPhoneNumberShortExtension() => _normalizer.Normalize("100");

    /// <summary>An anonymous caller (<c>unknown</c>): rejected before libphonenumber.</summary>
    [Benchmark]
    public string Anonymous() => _normalizer.Normalize("unknown");
}
