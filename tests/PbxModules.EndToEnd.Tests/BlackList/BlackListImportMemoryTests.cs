using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using PbxModules.Sdk.Testing.Daemon;
using Xunit.Abstractions;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// A 100 000-row import through the real daemon must not take hundreds of MB.
/// The import streams the request body in batches, so the daemon's peak resident memory (VmHWM in
/// <c>/proc/&lt;pid&gt;/status</c>) grows by what the list itself costs in the index, not by copies of
/// the file, its rows and their tracked entities.
/// </summary>
public sealed class BlackListImportMemoryTests(ITestOutputHelper output)
{
    private const string Numbers = "/pbxcore/api/v3/module-black-list/numbers";
    private const int Rows = 100_000;

    // Measured on a 2-core machine under load: an import that holds the file, its rows and their
    // tracked entities grows the peak by ~565 MB for this file; streamed, by ~155 MB, most of it what the list
    // itself keeps (the index of 100 000 rules, the keys seen for duplicates) plus the server GC's
    // allocation budget. The bound sits between the two.
    private const long MaxPeakGrowthMb = 250;

    [Fact]
    public async Task A_100_000_row_import_grows_the_daemon_peak_memory_by_a_bounded_amount()
    {
        if (!File.Exists("/proc/self/status")) return; // Linux only: /proc is where the figure comes from.
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-blmem-").FullName;
        try
        {
            var modules = ModuleFolders.Install(root);
            await using var daemon = await TestDaemon.StartAsync(root, new Dictionary<string, string> { ["Paths:Modules"] = modules });
            await BlackListRest.WaitForModuleAsync(daemon.Http);
            // One small import first, so that the import's code paths are loaded and jitted before the baseline.
            var (warm, warmBody) = await BlackListRest.SendAsync(daemon.Http, HttpMethod.Post, $"{Numbers}:import", new StringContent("number\n+1 808 2000000\n", Encoding.UTF8, "text/csv"));
            Assert.True(warm == HttpStatusCode.OK, warmBody.ToString());

            var csv = new StringBuilder("number,description\n", Rows * 40);
            for (var i = 0; i < Rows; i++) csv.Append("+1 808 4").Append(i.ToString("000000", CultureInfo.InvariantCulture)).Append(",memory test ").Append(i).Append('\n');
            var body = Encoding.UTF8.GetBytes(csv.ToString());

            // Reset the peak (VmHWM) to the current RSS, so that the peak read afterwards is the import's.
            await File.WriteAllTextAsync($"/proc/{daemon.ProcessId}/clear_refs", "5");
            var before = Memory(daemon.ProcessId);
            using var http = new HttpClient { BaseAddress = daemon.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            var started = System.Diagnostics.Stopwatch.StartNew();
            using var response = await http.PostAsync($"{Numbers}:import?allOrNothing=true", new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } });
            var elapsed = started.Elapsed;
            var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(response.StatusCode == HttpStatusCode.OK, report.ToString());
            Assert.Equal(Rows, report.GetProperty("data").GetProperty("imported").GetInt32());
            var after = Memory(daemon.ProcessId);

            var peakGrowthMb = (after.PeakKb - before.RssKb) / 1024;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{body.Length / 1024} KB CSV, {Rows} rows in {elapsed.TotalSeconds:F1} s; RSS before {before.RssKb / 1024} MB (peak so far {before.PeakKb / 1024} MB), after {after.RssKb / 1024} MB, peak during import {after.PeakKb / 1024} MB: +{peakGrowthMb} MB"));
            Assert.True(peakGrowthMb < MaxPeakGrowthMb, $"The peak resident memory grew by {peakGrowthMb} MB during a {Rows}-row import (at most {MaxPeakGrowthMb} MB expected).");
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (long RssKb, long PeakKb) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kb(line);
        }
        return (rss, peak);
    }

    private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
