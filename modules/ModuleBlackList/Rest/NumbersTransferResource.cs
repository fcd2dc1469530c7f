using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Data;
using ModuleBlackList.Models;
using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Rest;

/// <summary>
/// <c>POST …/module-black-list/numbers:import</c> and <c>GET …/module-black-list/numbers:export</c>:
/// the list in bulk, as CSV (the columns of <see cref="NumbersCsv"/>) or JSON.
/// </summary>
[ApiResource("numbers", Description = "Block and allow rules of the blacklist.")]
[ResourceSecurity("BlackList:Read")]
public sealed class NumbersTransferResource(BlackListDbContext db)
{
    /// <summary>
    /// import: the body is <c>text/csv</c> (header row; columns number, description, kind, expiresAt,
    /// scope with <c>;</c> between DIDs, enabled; only number required), <c>application/json</c> (an
    /// array of rules as create takes them), or a <c>multipart/form-data</c> file. Every row is
    /// validated; rules that exist already are skipped. With <c>allOrNothing=true</c> one bad row
    /// stores nothing (422 with the report); otherwise the good rows are stored (200 with the report).
    /// At most 10 MB and 100,000 rows (413 beyond). The upload is read as it arrives and stored in
    /// batches in one transaction; a row that is not valid UTF-8 is refused in the report, naming its
    /// line. Text is stored as given (export, not import, protects spreadsheets from formulas).
    /// </summary>
    [HttpMapping("POST", ":import", Summary = "Imports rules from CSV or JSON; reports rejected and duplicate rows.", MaxRequestBodyBytes = NumbersImport.MaxBytes + 64 * 1024)]
    [ResourceSecurity("BlackList:Write")]
    [ApiRequestContent("text/csv", Description = "A header row (number, description, kind, expiresAt, scope with ';' between DIDs, enabled; only number is required), then one rule per row; UTF-8.")]
    [ApiRequestContent("application/json", Schema = typeof(RuleInput[]), Description = "An array of rules as create takes them.")]
    [ApiRequestContent("multipart/form-data", Description = "A form whose first file (field 'file') is the CSV or JSON; its name's extension (.csv, .json) or content type tells which.")]
    public async Task<PbxApiResult> Import(HttpRequest request, NumbersImport import, bool? allOrNothing, string? format, CancellationToken cancellationToken)
    {
        ImportReport report;
        List<string> warnings;
        bool refused;
        try
        {
            (report, warnings, refused) = await import.RunAsync(request, format, allOrNothing ?? false, cancellationToken);
        }
        catch (ImportTooLargeException ex)
        {
            return PbxApiResult.Fail(StatusCodes.Status413PayloadTooLarge, ex.Message);
        }
        catch (ImportFormatException ex)
        {
            return ex.UnsupportedMediaType ? PbxApiResult.Fail(StatusCodes.Status415UnsupportedMediaType, ex.Message) : PbxApiResult.BadRequest(ex.Message);
        }
        catch (CsvHelper.CsvFormatException ex)
        {
            return PbxApiResult.BadRequest($"The CSV could not be read: {ex.Message.Split('\n')[0]}");
        }

        if (refused)
        {
            return PbxApiResult.Fail(StatusCodes.Status422UnprocessableEntity,
                $"{report.Rejected} of {report.Rows} row(s) did not validate, and allOrNothing is set: nothing was imported. See data.errors for each row.", report)
                .WithWarnings(warnings);
        }
        if (report.Rejected > 0) warnings.Add($"{report.Rejected} row(s) did not validate and were left out; see data.errors.");
        if (report.Duplicates > 0) warnings.Add($"{report.Duplicates} row(s) repeat an existing rule and were skipped; see data.duplicateRows.");
        return PbxApiResult.Done($"{report.Imported} rule(s) imported.", report).WithWarnings(warnings);
    }

    /// <summary>
    /// export: every rule (or those of one kind / enabled state) as CSV in import's columns, streamed
    /// as it is read from the database. The answer is <c>text/csv</c>, not the API's JSON envelope:
    /// the response is started before the first row, so the host sends what was written and skips
    /// the (empty) result this method returns.
    /// </summary>
    [HttpMapping("GET", ":export", Summary = "Exports rules as CSV (text/csv), in the columns import reads.")]
    [ApiResponseContent("text/csv", Description = "The rules in import's CSV columns, with a header row; cells that a spreadsheet would run as a formula start with a single quote.")]
    public async Task<PbxApiResult> Export(HttpResponse response, string? kind, bool? enabled, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!NumbersResource.TryParseKind(kind, out var ruleKind)) return NumbersResource.InvalidKind(kind);
        IQueryable<BlackListNumbers> rules = db.Numbers.AsNoTracking();
        if (ruleKind is { } k) rules = rules.Where(n => n.Kind == k);
        if (enabled is { } e) rules = rules.Where(n => n.Enabled == e);

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"blacklist-{time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv\"";
        await response.StartAsync(cancellationToken);
        try
        {
            await NumbersCsv.WriteAsync(response.Body, rules.OrderBy(n => n.Id).AsAsyncEnumerable(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The status line is gone already: break the connection, so that the client sees a
            // failed download instead of a complete-looking file that lacks rules.
            response.HttpContext.Abort();
            throw;
        }
        return PbxApiResult.Ok();
    }
}
