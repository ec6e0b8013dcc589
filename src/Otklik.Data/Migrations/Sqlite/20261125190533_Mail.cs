using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Mail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mail_records",
                columns: table => new
                {
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Outbound = table.Column<bool>(type: "INTEGER", nullable: false),
                    TicketId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    AppealId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mail_records", x => x.MessageId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mail_records_TicketId_At",
                table: "mail_records",
                columns: new[] { "TicketId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mail_records");
        }
    }
}
