using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PbxModules.Host.HostData.Migrations
{
    /// <inheritdoc />
    public partial class AddModulePackage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PackageSha256",
                table: "c_modules",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PackageSigned",
                table: "c_modules",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PackageSigner",
                table: "c_modules",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PackageSignerSubject",
                table: "c_modules",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PackageSource",
                table: "c_modules",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PackageSha256",
                table: "c_modules");

            migrationBuilder.DropColumn(
                name: "PackageSigned",
                table: "c_modules");

            migrationBuilder.DropColumn(
                name: "PackageSigner",
                table: "c_modules");

            migrationBuilder.DropColumn(
                name: "PackageSignerSubject",
                table: "c_modules");

            migrationBuilder.DropColumn(
                name: "PackageSource",
                table: "c_modules");
        }
    }
}
