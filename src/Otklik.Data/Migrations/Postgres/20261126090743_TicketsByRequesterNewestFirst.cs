using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketsByRequesterNewestFirst : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_RequesterKey_Status",
                table: "tickets");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_RequesterKey_UpdatedAt",
                table: "tickets",
                columns: new[] { "RequesterKey", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_RequesterKey_UpdatedAt",
                table: "tickets");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_RequesterKey_Status",
                table: "tickets",
                columns: new[] { "RequesterKey", "Status" });
        }
    }
}
