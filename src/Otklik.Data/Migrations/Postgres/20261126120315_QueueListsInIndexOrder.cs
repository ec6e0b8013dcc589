using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueListsInIndexOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_Status_Queue",
                table: "tickets");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Status_Queue_Seq",
                table: "tickets",
                columns: new[] { "Status", "Queue", "Seq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_Status_Queue_Seq",
                table: "tickets");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Status_Queue",
                table: "tickets",
                columns: new[] { "Status", "Queue" });
        }
    }
}
