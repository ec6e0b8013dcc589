using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WaitingAppealsOnlyIndexed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_appeals_AwaitingAdmission_Priority_ReceivedAt",
                table: "appeals");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_awaiting_admission",
                table: "appeals",
                columns: new[] { "Priority", "ReceivedAt", "AppealId" },
                filter: "\"AwaitingAdmission\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_appeals_awaiting_admission",
                table: "appeals");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_AwaitingAdmission_Priority_ReceivedAt",
                table: "appeals",
                columns: new[] { "AwaitingAdmission", "Priority", "ReceivedAt" });
        }
    }
}
