using CsCheck;
using ModuleBlackList.Matching;

namespace ModuleBlackList.Tests.Matching;

public sealed class PhoneNormalizerTests
{
    private static readonly PhoneNormalizer Us = new("US", ["00", "011"]);
    private static readonly PhoneNormalizer Ru = new("RU", ["00", "810"]);
    private static readonly PhoneNormalizer Gb = new("GB", ["00"]);

    [Theory]
    [InlineData("+1 (800) 555-0100")]
    [InlineData("0018005550100")]
    [InlineData("01118005550100")]
    [InlineData("18005550100")]
    [InlineData("8005550100")]
    [InlineData("(800) 555-0100")]
    [InlineData("800.555.0100")]
    [InlineData("1 800 555 0100")]
    [InlineData("+1-800-555-0100")]
    [InlineData(" +1 800/555 0100 ")]
    [InlineData("+1 [800] 555 0100")]
    public void Every_way_of_writing_a_US_number_has_one_canonical_form(string written)
        => Assert.Equal("18005550100", Us.Normalize(written));

    [Theory]
    [InlineData("84951234567")]
    [InlineData("+74951234567")]
    [InlineData("74951234567")]
    [InlineData("0074951234567")]
    [InlineData("8 (495) 123-45-67")]
    [InlineData("4951234567")]
    public void A_Russian_number_with_the_national_trunk_prefix_8_becomes_country_code_7(string written)
        => Assert.Equal("74951234567", Ru.Normalize(written));

    [Theory]
    [InlineData("020 7946 0018")]
    [InlineData("+44 20 7946 0018")]
    [InlineData("0044 20 7946 0018")]
    [InlineData("(020) 7946-0018")]
    public void A_British_number_with_the_national_trunk_prefix_0_becomes_country_code_44(string written)
        => Assert.Equal("442079460018", Gb.Normalize(written));

    [Fact]
    public void The_US_trunk_prefix_1_is_the_country_code_itself()
    {
        Assert.Equal("12125550199", Us.Normalize("1 212 555 0199"));
        Assert.Equal("12125550199", Us.Normalize("212 555 0199"));
    }

    [Fact]
    public void A_foreign_number_dialled_with_an_international_prefix_keeps_its_country_code()
    {
        Assert.Equal("442079460018", Us.Normalize("011 44 20 7946 0018"));
        Assert.Equal("442079460018", Us.Normalize("00 44 20 7946 0018"));
        Assert.Equal("74951234567", Us.Normalize("+7 495 123 45 67"));
        Assert.Equal("18005550100", Ru.Normalize("810 1 800 555 0100"));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("unknown")]
    [InlineData("Restricted")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("+")]
    [InlineData("()-")]
    [InlineData("800-FLOWERS")]
    [InlineData("12a34")]
    [InlineData("sip:100@pbx")]
    [InlineData("1+2")]
    public void Something_that_is_not_a_number_normalises_to_empty(string? written)
        => Assert.Equal("", Us.Normalize(written));

    [Theory]
    [InlineData("101", "101")]
    [InlineData("2001", "2001")]
    [InlineData("55", "55")]
    [InlineData("911", "911")]
    [InlineData("00", "00")]
    public void An_internal_extension_or_short_code_keeps_its_digits(string written, string expected)
        => Assert.Equal(expected, Us.Normalize(written));

    [Theory]
    [InlineData("5551234", "5551234")]
    [InlineData("555-1234", "5551234")]
    [InlineData("12345678", "12345678")]
    public void A_national_number_shorter_than_the_region_full_length_keeps_its_digits_without_a_country_code(string written, string expected)
    {
        // Not 15551234: that would put a US country code on a number that is not a US number.
        Assert.Equal(expected, Us.Normalize(written));
        // And the same call and the same rule still agree (both sides go through Normalize).
        Assert.Equal(Us.Normalize(written), Us.Normalize(expected));
    }

    [Fact]
    public void A_full_length_national_number_with_an_area_code_libphonenumber_does_not_know_still_gets_the_country_code()
    {
        // Spoofed caller ids use such numbers: a rule written +1 999 555 1234 must match a caller 999 555 1234.
        Assert.Equal("19995551234", Us.Normalize("999 555 1234"));
        Assert.Equal(Us.Normalize("+1 999 555 1234"), Us.Normalize("999 555 1234"));
    }

    [Fact]
    public void A_number_longer_than_any_phone_number_is_not_a_number()
        => Assert.Equal("", Us.Normalize(new string('1', 65)));

    [Theory]
    [InlineData("+7495*", "7495")]
    [InlineData("7495*", "7495")]
    [InlineData("8495*", "7495")]
    [InlineData("495*", "7495")]
    [InlineData("00 7495*", "7495")]
    [InlineData("+7 (495) *", "7495")]
    [InlineData("+1 800*", "1800")]
    public void A_prefix_pattern_gets_the_same_rules_by_hand_in_Russia(string written, string expected)
        => Assert.Equal(expected, Ru.NormalizePrefix(written));

    [Theory]
    [InlineData("1800*", "1800")]
    [InlineData("+1800*", "1800")]
    [InlineData("800*", "1800")]
    [InlineData("001800*", "1800")]
    [InlineData("0111800*", "1800")]
    [InlineData("1 (800) *", "1800")]
    [InlineData("+44*", "44")]
    [InlineData("01144*", "44")]
    public void A_prefix_pattern_gets_the_same_rules_by_hand_in_the_US(string written, string expected)
        => Assert.Equal(expected, Us.NormalizePrefix(written));

    [Theory]
    [InlineData("020*", "4420")]
    [InlineData("20*", "4420")]
    [InlineData("+4420*", "4420")]
    public void A_prefix_pattern_gets_the_same_rules_by_hand_in_Britain(string written, string expected)
        => Assert.Equal(expected, Gb.NormalizePrefix(written));

    [Theory]
    [InlineData("*")]
    [InlineData("abc*")]
    [InlineData("")]
    [InlineData(null)]
    public void A_prefix_without_digits_normalises_to_empty(string? written)
        => Assert.Equal("", Us.NormalizePrefix(written));

    [Fact]
    public void Every_number_under_a_prefix_starts_with_the_prefix_canonical_form()
    {
        // The index matches the canonical caller against the canonical prefix: both sides must agree.
        Assert.StartsWith(Ru.NormalizePrefix("+7495*"), Ru.Normalize("84951234567"), StringComparison.Ordinal);
        Assert.StartsWith(Ru.NormalizePrefix("8495*"), Ru.Normalize("+74951234567"), StringComparison.Ordinal);
        Assert.StartsWith(Us.NormalizePrefix("1800*"), Us.Normalize("(800) 123-4567"), StringComparison.Ordinal);
        Assert.StartsWith(Us.NormalizePrefix("800*"), Us.Normalize("+1 800 123 4567"), StringComparison.Ordinal);
        Assert.StartsWith(Gb.NormalizePrefix("020*"), Gb.Normalize("+44 20 7946 0018"), StringComparison.Ordinal);
    }

    /// <summary>A US number (area code and exchange 200-999), written in one of many ways.</summary>
    private static readonly Gen<(string Canonical, string Written)> UsNumberWrittenAnyWay =
        from area in Gen.Int[200, 999]
        from exchange in Gen.Int[200, 999]
        from line in Gen.Int[0, 9999]
        from style in Gen.Int[0, 7]
        from separator in Gen.OneOf(" ", "-", ".", "", " - ", "/")
        let a = area.ToString("000", System.Globalization.CultureInfo.InvariantCulture)
        let e = exchange.ToString("000", System.Globalization.CultureInfo.InvariantCulture)
        let l = line.ToString("0000", System.Globalization.CultureInfo.InvariantCulture)
        let national = style % 2 == 0 ? $"({a}) {e}{separator}{l}" : $"{a}{separator}{e}{separator}{l}"
        let written = (style / 2) switch
        {
            0 => national,
            1 => "+1 " + national,
            2 => "00 1 " + national,
            _ => "011" + separator + "1" + separator + national,
        }
        select ("1" + a + e + l, written);

    [Fact]
    public void Normalising_any_formatting_of_a_valid_number_gives_its_canonical_form()
    {
        UsNumberWrittenAnyWay.Sample(x =>
        {
            Assert.Equal(x.Canonical, Us.Normalize(x.Written));
            // And normalising is idempotent.
            Assert.Equal(x.Canonical, Us.Normalize(x.Canonical));
        });
    }
}
