using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountIndexesByRequesterKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_AccountId",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_appeals_AccountId_CreatedAt",
                table: "appeals");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_tickets_AccountId",
                table: "tickets",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_AccountId_CreatedAt",
                table: "appeals",
                columns: new[] { "AccountId", "CreatedAt" });
        }
    }
}
