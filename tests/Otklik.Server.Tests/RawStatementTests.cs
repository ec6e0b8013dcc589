using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Otklik.Core.Text;
using Otklik.Data;
using Otklik.Data.Embedded;

namespace Otklik.Server.Tests;

/// <summary>The intake's statements store and read values exactly as Microsoft.Data.Sqlite does.</summary>
public sealed class RawStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public RawStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT, n INTEGER, r REAL, UNIQUE (s))";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    public static TheoryData<string> Texts => ["", "plain", "Заказ №38211574 — не пришёл", "emoji 😀 and \0 inside", new string('ж', 100_000)];

    [Theory]
    [MemberData(nameof(Texts))]
    public void TextBoundByTheStatement_IsTheTextMicrosoftDataSqliteReadsBack_AndViceVersa(string text)
    {
        using (var insert = new RawStatement(_connection.Handle!, "INSERT INTO t (s, n, r) VALUES ($s, $n, $r)"))
        {
            insert.Bind("$s", text);
            insert.Bind("$n", true);
            insert.Bind("$r", 2.5);
            Assert.Equal(1, insert.Execute());
        }
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT s, typeof(s), n, r FROM t";
        using (var reader = read.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(text, reader.GetString(0));
            Assert.Equal("text", reader.GetString(1));
            Assert.Equal(1L, reader.GetInt64(2));
            Assert.Equal(2.5, reader.GetDouble(3));
        }

        using var select = new RawStatement(_connection.Handle!, "SELECT s, n, r, NULL FROM t WHERE s = $s");
        select.Bind("$s", text);
        Assert.True(select.Step());
        Assert.Equal(text, select.GetString(0));
        Assert.True(select.GetBoolean(1));
        Assert.Equal(2.5, select.GetDouble(2));
        Assert.True(select.IsDBNull(3));
        Assert.Null(select.GetValue(3));
        Assert.False(select.Step());
        select.Reset();
    }

    [Fact]
    public void SqlitesProcessSettings_SayWhetherTheyTookEffect()
    {
        // Whichever opened SQLite first in this process (a server under test, or this class) decided it.
        var applied = SqliteSettings.ConfigureProcess();
        Assert.Equal(applied, SqliteSettings.ConfigureProcess());
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (s) VALUES (hex(randomblob(50000)))";
        insert.ExecuteNonQuery();

        // With the settings in effect SQLite keeps no allocation statistics; without them it counts what it holds.
        Assert.Equal(applied, SQLitePCL.raw.sqlite3_memory_used() == 0);
    }

    [Theory]
    [InlineData(4096, 262_145)]  // the page of the byte at 1 GiB
    [InlineData(1024, 1_048_577)]
    [InlineData(65536, 16_385)]
    public void TheWritersCache_IsSmallUntilTheFileReachesThePendingBytePage(int pageSize, long pendingPage)
    {
        Assert.Equal(pendingPage, SqliteSettings.PendingBytePage(pageSize));
        Assert.Equal(SqliteSettings.SmallWriterCacheKib, SqliteSettings.WriterCacheKib(1, pageSize));
        Assert.Equal(SqliteSettings.SmallWriterCacheKib, SqliteSettings.WriterCacheKib(pendingPage - 2, pageSize));
        // From here on, a page parked under the pending page's number is no longer past the end of the file.
        Assert.Equal(SqliteSettings.LargeWriterCacheKib, SqliteSettings.WriterCacheKib(pendingPage - 1, pageSize));
        Assert.Equal(SqliteSettings.LargeWriterCacheKib, SqliteSettings.WriterCacheKib(10 * pendingPage, pageSize));
        Assert.True(SqliteSettings.SmallWriterCacheKib < SqliteSettings.LargeWriterCacheKib);
    }

    [Fact]
    public void EveryStringBound_KeepsItsOwnValue_ThoughOneBufferEncodesThemAll()
    {
        using var both = new RawStatement(_connection.Handle!, "SELECT $a, $b, $c");
        var longer = new string('щ', 5_000); // grows the buffer between two binds
        both.Bind("$a", "первое");
        both.Bind("$b", longer);
        both.Bind("$c", "third");
        Assert.True(both.Step());
        Assert.Equal(("первое", longer, "third"), (both.GetString(0), both.GetString(1), both.GetString(2)));
        both.Reset();
    }

    [Fact]
    public void AJsonDocument_IsBoundAsItsUtf8Text_AndReadBackAsTheSameDocument()
    {
        using var echo = new RawStatement(_connection.Handle!, "SELECT $j, typeof($j), length($j)");
        var json = JsonText.From("{\"text\":\"Посылка не пришла\"}");
        echo.Bind("$j", json);
        Assert.True(echo.Step());
        Assert.Equal(json, echo.GetJsonText(0));
        Assert.Equal(("{\"text\":\"Посылка не пришла\"}", "text", 28L), (echo.GetString(0), echo.GetString(1), echo.GetInt64(2)));
        echo.Reset();
    }

    [Fact]
    public void ARowMapsCompiledBinders_StoreWhatEfCoreStores_NullsAsNull_AndRefuseNaN()
    {
        var options = new DbContextOptionsBuilder<SqliteOtklikDbContext>().UseSqlite(_connection).Options;
        using var db = new SqliteOtklikDbContext(options);
        // The fixture already made a table, so EnsureCreated would see a database and do nothing.
        db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>().CreateTables();
        var appeals = new RowMap<Otklik.Core.Appeals.Appeal>(db.Model);
        var at = new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.FromHours(3));
        var bare = new Otklik.Core.Appeals.Appeal
        {
            AppealId = "ap_1",
            ClientName = "c",
            IdempotencyKey = "k1",
            RequestHash = "h",
            RequesterKey = "phone:+79160000000",
            ProblemType = "other",
            Text = "Текст",
            PolicyVersion = "v",
            DecisionJson = JsonText.From("{\"outcome\":\"accepted\"}"),
            CreatedAt = at,
            ReceivedAt = at,
        };
        var full = new Otklik.Core.Appeals.Appeal
        {
            AppealId = "ap_2",
            ClientName = "c",
            IdempotencyKey = "k2",
            RequestHash = "h",
            RequesterKey = "account:a-1",
            AccountId = "a-1",
            ProblemType = "damaged_item",
            Text = "Текст",
            PolicyVersion = "v",
            DecisionJson = JsonText.EmptyObject,
            ContextJson = JsonText.From("{\"now\":1}"),
            Demand = Otklik.Core.Appeals.Demand.Refund,
            Outcome = Otklik.Core.Appeals.Outcome.Deferred,
            Priority = Otklik.Core.Tickets.PriorityClass.P1,
            AwaitingAdmission = true,
            TextFingerprint = long.MinValue,
            CreatedAt = at,
            ReceivedAt = at.AddSeconds(-1),
            AdmittedAt = at.AddHours(1),
        };
        using (var insert = new RawStatement(_connection.Handle!, appeals.InsertSql))
        {
            foreach (var appeal in new[] { bare, full })
            {
                appeals.BindInsert(insert, appeal);
                Assert.Equal(1, insert.Execute());
            }
        }

        var viaEf = db.Appeals.AsNoTracking().OrderBy(a => a.AppealId).ToList();
        Assert.True(appeals.SameRow(bare, viaEf[0]));
        Assert.True(appeals.SameRow(full, viaEf[1]));
        Assert.Null(viaEf[0].ContextJson);
        Assert.Null(viaEf[0].Demand);
        Assert.Null(viaEf[0].AdmittedAt);
        Assert.Equal(full.AdmittedAt, viaEf[1].AdmittedAt);

        var buckets = new RowMap<Otklik.Core.Requesters.RateBucket>(db.Model);
        using var bucket = new RawStatement(_connection.Handle!, buckets.InsertSql);
        Assert.Throws<InvalidOperationException>(() => buckets.BindInsert(bucket, Otklik.Core.Requesters.RateBucket.Restore("phone:+7", double.NaN, at)));
    }

    [Fact]
    public void ALoneSurrogate_IsStoredAsTheReplacementCharacter()
    {
        using var echo = new RawStatement(_connection.Handle!, "SELECT $s");
        echo.Bind("$s", "a\ud800b");
        Assert.True(echo.Step());
        Assert.Equal("a\ufffdb", echo.GetString(0));
        echo.Reset();
    }

    [Fact]
    public void AStatement_RunsAgainWithNewValues_AndNullIsNull()
    {
        using var insert = new RawStatement(_connection.Handle!, "INSERT INTO t (s, n) VALUES ($s, $n) RETURNING k");
        var keys = new List<object?>();
        foreach (var (s, n) in new (string?, object?)[] { ("a", 1L), (null, null), ("b", int.MaxValue) })
        {
            insert.Bind("$s", s);
            insert.Bind("$n", n);
            Assert.True(insert.Step());
            keys.Add(insert.GetValue(0));
            insert.Reset();
        }
        Assert.Equal([1L, 2L, 3L], keys);
        using var count = new RawStatement(_connection.Handle!, "SELECT count(*), count(s), sum(n) FROM t");
        Assert.True(count.Step());
        Assert.Equal((3, 2, 1L + int.MaxValue), (count.GetInt32(0), count.GetInt32(1), count.GetInt64(2)));
        count.Reset();
    }

    [Fact]
    public void AUniqueKeySayingNo_IsASqliteConstraintError_AndTheStatementRunsAgainAfterIt()
    {
        using var insert = new RawStatement(_connection.Handle!, "INSERT INTO t (s) VALUES ($s)");
        insert.Bind("$s", "same");
        insert.Execute();

        var error = Assert.Throws<SqliteException>(() => insert.Execute());

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT, as the intake tells a lost race
        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);
        insert.Bind("$s", "other");
        Assert.Equal(1, insert.Execute());
    }

    [Fact]
    public void AValueTheStoreHasNoFormFor_IsRefused_NotStoredAsSomethingElse()
    {
        using var insert = new RawStatement(_connection.Handle!, "INSERT INTO t (s) VALUES ($s)");
        Assert.Throws<NotSupportedException>(() => insert.Bind("$s", DateTimeOffset.UnixEpoch));
        Assert.Throws<InvalidOperationException>(() => insert.Bind("$s", double.NaN));
        Assert.Throws<InvalidOperationException>(() => insert.Bind("$nope", 1));
    }
}
