using Microsoft.Data.Sqlite;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>The database of the test module <c>test-migrating</c> (tests/TestModules/MigratingV1, V2), read and written with plain SQLite.</summary>
internal sealed class MigratingModuleDatabase(string dataDirectory)
{
    public const string Id = "test-migrating";

    public string File => Path.Combine(dataDirectory, "modules", Id + ".db");

    /// <summary>Adds rows to <c>m_Items</c>.</summary>
    public void Insert(params string[] names)
    {
        using var connection = Open();
        foreach (var name in names)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO m_Items (Name) VALUES ($name)";
            command.Parameters.AddWithValue("$name", name);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The first column of every row a query returns, as text.</summary>
    public List<string> Query(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>Names and notes (1.1.0's column) of every row, in order.</summary>
    public List<string> NamesAndNotes() => Query("SELECT Name || '|' || Note FROM m_Items ORDER BY Id");

    /// <summary>Names of every row, in order.</summary>
    public List<string> Names() => Query("SELECT Name FROM m_Items ORDER BY Id");

    /// <summary>The columns of <c>m_Items</c>.</summary>
    public List<string> Columns() => Query("SELECT name FROM pragma_table_info('m_Items')");

    // Not pooled: an open pooled connection would hold the file while the host restores it.
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = File, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
