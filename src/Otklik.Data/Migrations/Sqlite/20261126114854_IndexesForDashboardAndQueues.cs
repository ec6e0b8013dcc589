using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IndexesForDashboardAndQueues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_tickets_CreatedAt",
                table: "tickets",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Queue_Seq",
                table: "tickets",
                columns: new[] { "Queue", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_ticket_events_At",
                table: "ticket_events",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_CreatedAt",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_Queue_Seq",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_ticket_events_At",
                table: "ticket_events");
        }
    }
}
