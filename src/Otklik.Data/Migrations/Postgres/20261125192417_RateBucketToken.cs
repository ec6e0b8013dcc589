using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Otklik.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RateBucketToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
