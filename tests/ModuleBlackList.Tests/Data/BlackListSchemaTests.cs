using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Data;
using PbxModules.EndToEnd.Tests.BlackList;

namespace ModuleBlackList.Tests.Data;

public sealed class BlackListSchemaTests
{
    [Fact]
    public void The_schema_the_end_to_end_tests_seed_is_the_one_the_module_model_creates()
    {
        using var db = new BlackListDbContext(new DbContextOptionsBuilder<BlackListDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.Equal(Statements(db.Database.GenerateCreateScript()), Statements(BlackListSchema.CreateScript));
    }

    private static string[] Statements(string script)
        => [.. script.Split(';').Select(s => string.Join(' ', s.Split((char[])[' ', '\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))).Where(s => s.Length > 0)];
}
