using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModuleFoo.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "m_Greetings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CallerId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Sound = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Hangups = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_m_Greetings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_m_Greetings_CallerId",
                table: "m_Greetings",
                column: "CallerId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_m_Greetings_ExpiresAt",
                table: "m_Greetings",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "m_Greetings");
        }
    }
}
