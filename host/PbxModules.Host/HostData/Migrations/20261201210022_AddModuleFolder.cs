using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PbxModules.Host.HostData.Migrations
{
    /// <inheritdoc />
    public partial class AddModuleFolder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Folder",
                table: "c_modules",
                type: "TEXT",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Folder",
                table: "c_modules");
        }
    }
}
