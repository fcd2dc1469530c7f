using System.Text;
using Microsoft.AspNetCore.Http;
using ModuleBlackList.Models;
using ModuleBlackList.Rest;
using static ModuleBlackList.Tests.Rest.RestResources;

namespace ModuleBlackList.Tests.Rest;

/// <summary>
/// <see cref="NumbersTransferResource"/> on its own, on a request and response built in memory:
/// the import report and its messages, allOrNothing, and the CSV export. The CSV dialect itself is
/// <see cref="NumbersCsvTests"/>'s; the body limits and multipart uploads are the end-to-end tests'.
/// </summary>
public sealed class NumbersTransferResourceTests
{
    [Fact]
    public async Task Import_stores_the_good_rows_and_warns_about_the_others()
    {
        await using var rest = await StartAsync();
        await rest.Numbers().Create(new RuleInput { Number = "+18005550100" }, None);

        var result = await rest.Transfer().Import(Csv("number\n+18005550100\nnot a number\n+18005550101\n"), rest.Import(), allOrNothing: null, format: null, None);

        var report = Data<ImportReport>(result);
        Assert.Equal((3, 1, 1, 1), (report.Rows, report.Imported, report.Rejected, report.Duplicates));
        Assert.Equal(["1 rule(s) imported."], result.Messages.Info);
        Assert.Equal(
            ["1 row(s) did not validate and were left out; see data.errors.", "1 row(s) repeat an existing rule and were skipped; see data.duplicateRows."],
            result.Messages.Warning);
        Assert.True(rest.Harness.BlackList.Check("+18005550101", null).Blocked);
    }

    [Fact]
    public async Task Import_with_allOrNothing_stores_nothing_when_a_row_is_bad()
    {
        await using var rest = await StartAsync();
        var result = await rest.Transfer().Import(Csv("number\n+18005550101\nnot a number\n"), rest.Import(), allOrNothing: true, format: null, None);

        var messages = Failed(result, 422);
        Assert.Equal(["1 of 2 row(s) did not validate, and allOrNothing is set: nothing was imported. See data.errors for each row."], messages.Error);
        Assert.Equal(1, Assert.IsType<ImportReport>(result.Data).Rejected);
        Assert.Empty(await rest.Harness.StoredRulesAsync());
    }

    [Fact]
    public async Task Import_of_an_unknown_content_type_is_a_415()
    {
        await using var rest = await StartAsync();
        var request = Csv("number\n+18005550101\n");
        request.ContentType = "application/xml";
        Failed(await rest.Transfer().Import(request, rest.Import(), null, null, None), 415);
    }

    [Fact]
    public async Task Export_writes_the_rules_as_csv_in_imports_columns()
    {
        await using var rest = await StartAsync();
        await rest.Numbers().Create(new RuleInput { Number = "+18005550100", Description = "=cmd" }, None);
        await rest.Numbers().Create(new RuleInput { Number = "+18005550200", Kind = RuleKind.Allow }, None);
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        var result = await rest.Transfer().Export(context.Response, "block", null, rest.Harness.Time, None);

        Assert.True(result.Success);
        Assert.Equal("text/csv; charset=utf-8", context.Response.ContentType);
        Assert.Equal("attachment; filename=\"blacklist-20261124-120000.csv\"", context.Response.Headers.ContentDisposition.ToString());
        var lines = Encoding.UTF8.GetString(body.ToArray()).TrimStart('\uFEFF').Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("number,description,kind,expiresAt,scope,enabled", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.Contains("18005550100", row, StringComparison.Ordinal);
        Assert.Contains("'=cmd", row, StringComparison.Ordinal);
        Assert.Contains(",Block,", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_of_an_unknown_kind_is_a_422()
    {
        await using var rest = await StartAsync();
        var context = new DefaultHttpContext();
        Failed(await rest.Transfer().Export(context.Response, "maybe", null, rest.Harness.Time, None), 422);
        Assert.False(context.Response.HasStarted);
    }

    private static HttpRequest Csv(string text)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Request.Method = "POST";
        context.Request.ContentType = "text/csv";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }
}
