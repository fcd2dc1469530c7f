using ModuleBlackList.Models;

namespace PbxModules.Benchmarks;

/// <summary>
/// A synthetic blacklist, the same for every benchmark and the memory report (seeded, so runs agree):
/// canonical US numbers (<c>1</c> + area code 200–599 + 7 digits). 90 % exact numbers, 10 % prefixes
/// of 5–7 digits (<c>1NPA</c>, <c>1NPAN</c>, <c>1NPANN</c>); 1 % of all rules are allow rules.
/// Callers: half hits (half on an exact rule, half under a prefix rule), half misses (area codes
/// 600–999, where no rule lives, so a miss walks every prefix length).
/// </summary>
internal static class BlackListRuleSet
{
    /// <summary>The rules, as the module's table holds them (already normalised).</summary>
    public static List<BlackListNumbers> Rules(int count, int seed = 42)
    {
        var random = new Random(seed);
        var rules = new List<BlackListNumbers>(count);
        for (var id = 1; id <= count; id++)
        {
            var isPrefix = random.Next(10) == 0;
            var area = random.Next(200, 600).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var normalized = isPrefix
                ? "1" + area + Digits(random, random.Next(0, 3))
                : "1" + area + Digits(random, 7);
            rules.Add(new BlackListNumbers
            {
                Id = id,
                Number = "+" + normalized + (isPrefix ? "*" : ""),
                Normalized = normalized,
                IsPrefix = isPrefix,
                Kind = random.Next(100) == 0 ? RuleKind.Allow : RuleKind.Block,
                Enabled = true,
                Source = "import",
            });
        }
        return rules;
    }

    /// <summary>Callers to look up: <paramref name="count"/> canonical numbers, half hits and half misses, shuffled.</summary>
    public static string[] Callers(IReadOnlyList<BlackListNumbers> rules, int count, int seed = 7)
    {
        var random = new Random(seed);
        var exact = rules.Where(r => !r.IsPrefix).ToArray();
        var prefixes = rules.Where(r => r.IsPrefix).ToArray();
        var callers = new string[count];
        for (var i = 0; i < count; i++)
        {
            callers[i] = (i % 4) switch
            {
                0 => exact[random.Next(exact.Length)].Normalized,
                1 => Complete(prefixes[random.Next(prefixes.Length)].Normalized, random),
                _ => "1" + random.Next(600, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + Digits(random, 7),
            };
        }
        random.Shuffle(callers);
        return callers;
    }

    private static string Complete(string prefix, Random random) => prefix + Digits(random, 11 - prefix.Length);

    private static string Digits(Random random, int length)
    {
        Span<char> digits = stackalloc char[length];
        for (var i = 0; i < length; i++) digits[i] = (char)('0' + random.Next(10));
        return new string(digits);
    }
}
