using Microsoft.Data.Sqlite;
using Otklik.Core.Text;
using SQLitePCL;

namespace Otklik.Data.Embedded;

/// <summary>
/// One statement prepared once on the intake's connection and run straight through SQLite's C API.
/// Microsoft.Data.Sqlite made, for every execution, a binder object per parameter, a UTF-8 copy of
/// every string (the decision and the gate snapshot are kilobytes each), an enumerator of statements
/// and a data reader: a fifth of what the intake allocated, on the store's single writer. Strings are
/// bound as UTF-8 encoded here, into one buffer the statement keeps, and read as Microsoft.Data.Sqlite
/// reads them. Not thread-safe, like the session that owns it.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private const int Row = 100; // SQLITE_ROW
    private const int Done = 101; // SQLITE_DONE
    private const int NullType = 5; // SQLITE_NULL
    private const uint Persistent = 1; // SQLITE_PREPARE_PERSISTENT: kept for the connection's life

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    // Reused for every string bound: SQLite copies a bound value at once (SQLITE_TRANSIENT).
    private byte[] _utf8 = new byte[1024];

    private string[]? _layout;
    private int[] _layoutIndexes = [];

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v3(db, sql, Persistent, out _stmt));
    }

    /// <summary>The 1-based index of a named parameter (<c>$name</c>), looked up once.</summary>
    public int IndexOf(string name)
    {
        if (!_indexes.TryGetValue(name, out var index))
        {
            index = raw.sqlite3_bind_parameter_index(_stmt, name);
            if (index == 0)
            {
                throw new InvalidOperationException($"The statement has no parameter {name}");
            }
            _indexes[name] = index;
        }
        return index;
    }

    public void Bind(string name, object? value) => Bind(IndexOf(name), value);

    /// <summary>
    /// The indexes of <paramref name="names"/>, looked up once for the array a caller passes every time (a row
    /// map's parameters): a row of the intake binds some forty, each a dictionary lookup by name before.
    /// </summary>
    public int[] IndexesOf(string[] names)
    {
        if (!ReferenceEquals(names, _layout))
        {
            var indexes = new int[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                indexes[i] = IndexOf(names[i]);
            }
            (_layout, _layoutIndexes) = (names, indexes);
        }
        return _layoutIndexes;
    }

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(_stmt, index));

    public void BindInt64(int index, long value) => Check(raw.sqlite3_bind_int64(_stmt, index, value));

    public void BindDouble(int index, double value) =>
        Check(double.IsNaN(value) ? throw new InvalidOperationException("NaN cannot be stored") : raw.sqlite3_bind_double(_stmt, index, value));

    public void BindText(int index, string value) => Check(BindTextCore(index, value));

    /// <summary>The document's UTF-8 as text, as it is.</summary>
    public void BindJson(int index, JsonText value) => Check(raw.sqlite3_bind_text(_stmt, index, value.Utf8));

    /// <summary>A value as the store keeps it (after the model's converter): text, integer, real or null.</summary>
    public void Bind(int index, object? value) => Check(value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_stmt, index),
        string s => BindTextCore(index, s),
        JsonText json => raw.sqlite3_bind_text(_stmt, index, json.Utf8),
        long l => raw.sqlite3_bind_int64(_stmt, index, l),
        int i => raw.sqlite3_bind_int64(_stmt, index, i),
        bool b => raw.sqlite3_bind_int64(_stmt, index, b ? 1 : 0),
        double d when double.IsNaN(d) => throw new InvalidOperationException("NaN cannot be stored"),
        double d => raw.sqlite3_bind_double(_stmt, index, d),
        short s => raw.sqlite3_bind_int64(_stmt, index, s),
        byte[] bytes => raw.sqlite3_bind_blob(_stmt, index, bytes),
        _ => throw new NotSupportedException($"A {value.GetType().Name} has no store form here; give its property a converter"),
    });

    /// <summary>
    /// Bound as UTF-8, the store's own encoding. Bound as UTF-16, SQLite converted each string itself, one
    /// character at a time into a buffer it allocated (`sqlite3VdbeMemTranslate`, 1.7 % of the server's samples
    /// under bench/load/run.sh's load, on the single writer: the decision and the gate snapshot are kilobytes);
    /// .NET's encoder converts whole vectors at a time. A lone surrogate, which UTF-8 cannot carry, becomes U+FFFD.
    /// </summary>
    private int BindTextCore(int index, string s)
    {
        var most = System.Text.Encoding.UTF8.GetMaxByteCount(s.Length);
        if (_utf8.Length < most)
        {
            _utf8 = new byte[Math.Max(most, 2 * _utf8.Length)];
        }
        var length = System.Text.Encoding.UTF8.GetBytes(s, _utf8);
        return raw.sqlite3_bind_text(_stmt, index, _utf8.AsSpan(0, length));
    }

    /// <summary>Steps once: true while there is a row to read. Call <see cref="Reset"/> when done with the statement.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == Row)
        {
            return true;
        }
        if (rc != Done)
        {
            Fail(rc);
        }
        return false;
    }

    /// <summary>Runs a statement that returns no rows (or whose rows do not matter); the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            while (Step())
            {
            }
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>The row id of the connection's last insert: the key of a table whose key is an integer primary key.</summary>
    public long LastInsertRowId() => raw.sqlite3_last_insert_rowid(_db);

    /// <summary>Ready to run again; the bindings stay until bound anew.</summary>
    public void Reset() => raw.sqlite3_reset(_stmt); // its result repeats the step's error, already thrown

    public bool IsDBNull(int ordinal) => raw.sqlite3_column_type(_stmt, ordinal) == NullType;

    public long GetInt64(int ordinal) => raw.sqlite3_column_int64(_stmt, ordinal);

    public int GetInt32(int ordinal) => checked((int)raw.sqlite3_column_int64(_stmt, ordinal));

    public short GetInt16(int ordinal) => checked((short)raw.sqlite3_column_int64(_stmt, ordinal));

    public bool GetBoolean(int ordinal) => raw.sqlite3_column_int64(_stmt, ordinal) != 0;

    public double GetDouble(int ordinal) => raw.sqlite3_column_double(_stmt, ordinal);

    public string GetString(int ordinal) => raw.sqlite3_column_text(_stmt, ordinal).utf8_to_string();

    /// <summary>A text column's UTF-8, copied, as a JSON document.</summary>
    public JsonText GetJsonText(int ordinal) => JsonText.FromUtf8(raw.sqlite3_column_blob(_stmt, ordinal));

    public object? GetValue(int ordinal) => raw.sqlite3_column_type(_stmt, ordinal) switch
    {
        1 => GetInt64(ordinal), // SQLITE_INTEGER
        2 => GetDouble(ordinal), // SQLITE_FLOAT
        3 => GetString(ordinal), // SQLITE_TEXT
        4 => raw.sqlite3_column_blob(_stmt, ordinal).ToArray(),
        _ => null,
    };

    private void Check(int rc)
    {
        if (rc != 0)
        {
            Fail(rc);
        }
    }

    // Thrown as Microsoft.Data.Sqlite would, so that callers tell a lost race (a constraint) from a failure.
    private void Fail(int rc) =>
        throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string() ?? $"SQLite error {rc}", rc & 0xFF, raw.sqlite3_extended_errcode(_db));

    public void Dispose() => _stmt.Dispose();
}
