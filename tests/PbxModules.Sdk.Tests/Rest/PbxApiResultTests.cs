using System.Text.Json;
using PbxModules.Sdk.Rest;

namespace PbxModules.Sdk.Tests.Rest;

/// <summary>The helpers build the API's envelope the way the host sends it.</summary>
public sealed class PbxApiResultTests
{
    [Fact]
    public void Done_is_a_200_that_says_what_was_done()
    {
        var result = PbxApiResult.Done("Rule 7 removed.", new { id = 7 });
        Assert.True(result.Success);
        Assert.Equal(200, result.HttpCode);
        Assert.Equal(["Rule 7 removed."], result.Messages.Info);
        Assert.Empty(result.Messages.Error);
        Assert.Equal("""{"success":true,"data":{"id":7},"messages":{"error":[],"warning":[],"info":["Rule 7 removed."]},"httpCode":200}""", JsonSerializer.Serialize(result));
    }

    [Fact]
    public void Fail_can_carry_a_payload()
    {
        var result = PbxApiResult.Fail(422, "Nothing was imported.", new { rows = 3 });
        Assert.False(result.Success);
        Assert.Equal(422, result.HttpCode);
        Assert.Equal(["Nothing was imported."], result.Messages.Error);
        Assert.Equal("""{"rows":3}""", JsonSerializer.Serialize(result.Data));
        Assert.Null(PbxApiResult.Fail(503, "Loading.").Data);
    }

    [Fact]
    public void WithWarnings_adds_after_the_warnings_there_and_keeps_the_rest()
    {
        var page = PbxApiResult.Page([1, 2], total: 5, limit: 2, offset: 0).WithWarnings(["first"]);
        var result = page.WithWarnings(["second", "third"]);

        Assert.Equal(["first", "second", "third"], result.Messages.Warning);
        Assert.Equal(["first"], page.Messages.Warning);
        Assert.True(result.Success);
        Assert.Equal(200, result.HttpCode);
        Assert.Same(page.Data, result.Data);
        Assert.Equal(new PbxPagination(5, 2, 0, true), result.Pagination);
    }

    [Fact]
    public void WithWarnings_keeps_field_errors()
    {
        var result = PbxApiResult.ValidationFailed("number", "is required.").WithWarnings(["checked 1 row"]);
        Assert.Equal(422, result.HttpCode);
        Assert.Equal(["number: is required."], result.Messages.Error);
        Assert.Equal(["is required."], result.Messages.Fields!["number"]);
    }
}
