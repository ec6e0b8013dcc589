using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Otklik.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SlaLadder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AppealCount",
                table: "tickets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ClaimOfferReason",
                table: "tickets",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClaimOfferedAt",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FirstResponseBreachedAt",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FirstResponseBreaches",
                table: "tickets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FirstResponseWarnAt",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastAgentReplyAt",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LegalArticle",
                table: "tickets",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LegalQueuedAt",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "PenaltyPercentPerDay",
                table: "tickets",
                type: "numeric(6,3)",
                precision: 6,
                scale: 3,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "PriceRub",
                table: "tickets",
                type: "numeric(14,2)",
                precision: 14,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "WarnedAt",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "calendar_years",
                columns: table => new
                {
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Json = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    LoadedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LoadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_calendar_years", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "ticket_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketSeq = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ticket_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ticket_events_tickets_TicketSeq",
                        column: x => x.TicketSeq,
                        principalTable: "tickets",
                        principalColumn: "Seq",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Status_FirstResponseDue",
                table: "tickets",
                columns: new[] { "Status", "FirstResponseDue" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Status_LegalDeadline",
                table: "tickets",
                columns: new[] { "Status", "LegalDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_ticket_events_TicketSeq_At",
                table: "ticket_events",
                columns: new[] { "TicketSeq", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "calendar_years");

            migrationBuilder.DropTable(
                name: "ticket_events");

            migrationBuilder.DropIndex(
                name: "IX_tickets_Status_FirstResponseDue",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_Status_LegalDeadline",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "AppealCount",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "ClaimOfferReason",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "ClaimOfferedAt",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "FirstResponseBreachedAt",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "FirstResponseBreaches",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "FirstResponseWarnAt",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "LastAgentReplyAt",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "LegalArticle",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "LegalQueuedAt",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "PenaltyPercentPerDay",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "PriceRub",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "WarnedAt",
                table: "tickets");
        }
    }
}
