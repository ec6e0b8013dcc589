using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Otklik.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agents",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PasswordHash = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agents", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "appeals",
                columns: table => new
                {
                    AppealId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ClientName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    RequestHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RequesterKey = table.Column<string>(type: "character varying(271)", maxLength: 271, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Role = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ProblemType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Demand = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    Text = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    TextStems = table.Column<string>(type: "text", nullable: false),
                    TextFingerprint = table.Column<long>(type: "bigint", nullable: false),
                    AttachmentsJson = table.Column<string>(type: "text", nullable: false),
                    ClaimedJson = table.Column<string>(type: "text", nullable: false),
                    RequestJson = table.Column<string>(type: "text", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Priority = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    PolicyVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DecisionJson = table.Column<string>(type: "text", nullable: false),
                    TicketId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    AwaitingAdmission = table.Column<bool>(type: "boolean", nullable: false),
                    AdmittedTicketId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    AdmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OverriddenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OverriddenBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OverrideReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_appeals", x => x.AppealId);
                });

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
                name: "capacity",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    AgentsOnline = table.Column<int>(type: "integer", nullable: false),
                    AvgHandleMinutes = table.Column<double>(type: "double precision", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_capacity", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "identities",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Value = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Verified = table.Column<bool>(type: "boolean", nullable: false),
                    FailedConfirmations = table.Column<int>(type: "integer", nullable: false),
                    LastFailedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identities", x => new { x.Kind, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    Number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ShippedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PriceRub = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    ReturnRulesGiven = table.Column<bool>(type: "boolean", nullable: false),
                    ItemsJson = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders", x => x.Number);
                });

            migrationBuilder.CreateTable(
                name: "rate_buckets",
                columns: table => new
                {
                    RequesterKey = table.Column<string>(type: "character varying(271)", maxLength: 271, nullable: false),
                    Tokens = table.Column<double>(type: "double precision", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_buckets", x => x.RequesterKey);
                });

            migrationBuilder.CreateTable(
                name: "requesters",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastActiveAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Phone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    PhoneVerified = table.Column<bool>(type: "boolean", nullable: false),
                    Email = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    EmailVerified = table.Column<bool>(type: "boolean", nullable: false),
                    Blocked = table.Column<bool>(type: "boolean", nullable: false),
                    FlaggedForReview = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_requesters", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "tickets",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Queue = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Priority = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RequesterKey = table.Column<string>(type: "character varying(271)", maxLength: 271, nullable: false),
                    Role = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ProblemType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Demand = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReopenCount = table.Column<int>(type: "integer", nullable: false),
                    FollowUpOf = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    TextStems = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    FirstResponseDue = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FirstRespondedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolutionDue = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LegalDeadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PendingSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PendingBusinessDays = table.Column<int>(type: "integer", nullable: false),
                    FirstResponseWarnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WarnedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FirstResponseBreaches = table.Column<int>(type: "integer", nullable: false),
                    FirstResponseBreachedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LegalQueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClaimOfferedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClaimOfferReason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LastAgentReplyAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AppealCount = table.Column<int>(type: "integer", nullable: false),
                    LegalArticle = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PenaltyPercentPerDay = table.Column<decimal>(type: "numeric(6,3)", precision: 6, scale: 3, nullable: false),
                    PriceRub = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: true),
                    Assignee = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tickets", x => x.Seq);
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

            migrationBuilder.CreateTable(
                name: "ticket_messages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketSeq = table.Column<long>(type: "bigint", nullable: false),
                    Author = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Text = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Internal = table.Column<bool>(type: "boolean", nullable: false),
                    AppealId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    AuthorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ticket_messages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ticket_messages_tickets_TicketSeq",
                        column: x => x.TicketSeq,
                        principalTable: "tickets",
                        principalColumn: "Seq",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_AccountId_CreatedAt",
                table: "appeals",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_AwaitingAdmission_Priority_ReceivedAt",
                table: "appeals",
                columns: new[] { "AwaitingAdmission", "Priority", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_ClientName_IdempotencyKey",
                table: "appeals",
                columns: new[] { "ClientName", "IdempotencyKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_appeals_Outcome_CreatedAt",
                table: "appeals",
                columns: new[] { "Outcome", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_RequesterKey_CreatedAt",
                table: "appeals",
                columns: new[] { "RequesterKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_TextFingerprint_CreatedAt",
                table: "appeals",
                columns: new[] { "TextFingerprint", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_TicketId",
                table: "appeals",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_identities_AccountId",
                table: "identities",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_orders_AccountId_CreatedAt",
                table: "orders",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_requesters_Email",
                table: "requesters",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_requesters_Phone",
                table: "requesters",
                column: "Phone");

            migrationBuilder.CreateIndex(
                name: "IX_ticket_events_TicketSeq_At",
                table: "ticket_events",
                columns: new[] { "TicketSeq", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ticket_messages_TicketSeq_At",
                table: "ticket_messages",
                columns: new[] { "TicketSeq", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_AccountId",
                table: "tickets",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_RequesterKey_Status",
                table: "tickets",
                columns: new[] { "RequesterKey", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Status_FirstResponseDue",
                table: "tickets",
                columns: new[] { "Status", "FirstResponseDue" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Status_LegalDeadline",
                table: "tickets",
                columns: new[] { "Status", "LegalDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_Status_Queue",
                table: "tickets",
                columns: new[] { "Status", "Queue" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_TicketId",
                table: "tickets",
                column: "TicketId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agents");

            migrationBuilder.DropTable(
                name: "appeals");

            migrationBuilder.DropTable(
                name: "calendar_years");

            migrationBuilder.DropTable(
                name: "capacity");

            migrationBuilder.DropTable(
                name: "identities");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.DropTable(
                name: "rate_buckets");

            migrationBuilder.DropTable(
                name: "requesters");

            migrationBuilder.DropTable(
                name: "ticket_events");

            migrationBuilder.DropTable(
                name: "ticket_messages");

            migrationBuilder.DropTable(
                name: "tickets");
        }
    }
}
