using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketAppealsIndexedOnlyWhenSet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_appeals_TicketId",
                table: "appeals");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_AdmittedTicketId",
                table: "appeals",
                column: "AdmittedTicketId",
                filter: "\"AdmittedTicketId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_TicketId",
                table: "appeals",
                column: "TicketId",
                filter: "\"TicketId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_appeals_AdmittedTicketId",
                table: "appeals");

            migrationBuilder.DropIndex(
                name: "IX_appeals_TicketId",
                table: "appeals");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_TicketId",
                table: "appeals",
                column: "TicketId");
        }
    }
}
