using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Otklik.Core.Text;

namespace Otklik.Data.Embedded;

/// <summary>
/// One entity's table as EF Core maps it (table, columns, value converters), turned once at start-up
/// into compiled getters and setters, so the intake can read and write rows with prepared statements
/// and no per-row reflection — and cannot drift from the model the migrations come from. Rows are read
/// from SQLite's own API (the embedded store) or from an ADO.NET reader (PostgreSQL), as built.
/// </summary>
internal sealed class RowMap<T> where T : class
{
    private readonly Column[] _columns;
    private readonly Func<T> _create;
    private readonly Dictionary<string, Column> _byProperty;
    private readonly Column[] _inserted;
    private readonly string[] _parameters;
    private readonly string[] _insertedParameters;

    public RowMap(IModel model, RowSource source = RowSource.Sqlite)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        Table = entity.GetTableName()!;
        _columns = entity.GetProperties().Select(p => new Column(p, source)).ToArray();
        var key = _columns.Where(c => c.Property.IsPrimaryKey()).ToArray();
        _key = key.Length == 1 ? key[0] : null;
        _byProperty = _columns.ToDictionary(c => c.Property.Name, StringComparer.Ordinal);
        _inserted = _columns.Where(c => !c.Generated).ToArray();
        _parameters = _columns.Select(c => c.Parameter).ToArray();
        _insertedParameters = _inserted.Select(c => c.Parameter).ToArray();
        _create = Expression.Lambda<Func<T>>(Expression.New(typeof(T))).Compile();
    }

    // A projection: reads only the given columns into new entities (the rest keep their defaults); never writes.
    private RowMap(RowMap<T> all, IReadOnlyList<string> properties)
    {
        Table = all.Table;
        _columns = properties.Select(p => all._byProperty[p]).ToArray();
        _byProperty = _columns.ToDictionary(c => c.Property.Name, StringComparer.Ordinal);
        _inserted = [];
        _parameters = [];
        _insertedParameters = [];
        _create = all._create;
    }

    /// <summary>The same table read through a few of its columns only: <see cref="Materialize"/> fills just those.</summary>
    public RowMap<T> Only(IReadOnlyList<string> properties) => new(this, properties);

    public string Table { get; }

    private readonly Column? _key;

    /// <summary>The single-column primary key (composite keys are only read here, never written).</summary>
    public Column Key => _key ?? throw new InvalidOperationException($"{Table} has a composite key");

    /// <summary>True when the store generates the key on insert (an auto-increment number).</summary>
    public bool KeyGenerated => _key?.Generated == true;

    /// <summary>All columns, in a stable order, quoted for SQL.</summary>
    public string SelectList() => string.Join(", ", _columns.Select(c => c.Quoted));

    public Column this[string property] => _byProperty[property];

    /// <summary>Every column, in the order <see cref="SelectList"/> names them.</summary>
    public IReadOnlyList<Column> Columns => _columns;

    /// <summary>The columns an insert writes (all but a store-made key), in a stable order.</summary>
    public IReadOnlyList<Column> InsertedColumns => _inserted;

    /// <summary>
    /// The INSERT of one row. A store-made key is SQLite's row id (an integer primary key), read after the insert:
    /// with <c>RETURNING</c> SQLite keeps the returned row in a temporary b-tree, opened and torn down each time.
    /// </summary>
    public string InsertSql =>
        $"INSERT INTO \"{Table}\" ({string.Join(", ", _inserted.Select(c => c.Quoted))}) VALUES ({string.Join(", ", _inserted.Select(c => c.Parameter))})";

    /// <summary>The UPDATE of one row by its key, and, when the entity has a concurrency token, only if it still has <c>$original</c>.</summary>
    public string UpdateSql
    {
        get
        {
            var set = _columns.Where(c => !c.Property.IsPrimaryKey()).ToArray();
            var token = _columns.SingleOrDefault(c => c.Property.IsConcurrencyToken);
            return $"UPDATE \"{Table}\" SET {string.Join(", ", set.Select(c => $"{c.Quoted} = {c.Parameter}"))} WHERE {Key.Quoted} = {Key.Parameter}"
                + (token is null ? "" : $" AND {token.Quoted} = $original");
        }
    }

    public void BindInsert(RawStatement statement, T entity) => Bind(statement, _inserted, _insertedParameters, entity);

    public void BindUpdate(RawStatement statement, T entity) => Bind(statement, _columns, _parameters, entity);

    private static void Bind(RawStatement statement, Column[] columns, string[] parameters, T entity)
    {
        var indexes = statement.IndexesOf(parameters);
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i].Bind(entity, statement, indexes[i]);
        }
    }

    /// <summary>A new entity with this map's columns copied through their stored form: what reading the row back would give.</summary>
    public T Copy(T source)
    {
        var entity = _create();
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Write(entity, _columns[i].Read(source));
        }
        return entity;
    }

    /// <summary>True when the two hold the same stored value in every column of this map.</summary>
    public bool SameRow(T? a, T? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        for (var i = 0; i < _columns.Length; i++)
        {
            if (!Equals(_columns[i].Read(a), _columns[i].Read(b)))
            {
                return false;
            }
        }
        return true;
    }

    public T Materialize(RawStatement reader)
    {
        var entity = _create();
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Load(entity, reader, i);
        }
        return entity;
    }

    public T Materialize(DbDataReader reader)
    {
        var entity = _create();
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Load(entity, reader, i);
        }
        return entity;
    }

    internal sealed class Column
    {
        private readonly Func<T, object?> _get;
        private readonly Action<T, object?> _set;
        private readonly Action<T, RawStatement, int>? _load;
        private readonly Action<T, RawStatement, int>? _bind;
        private readonly Action<T, DbDataReader, int>? _loadDb;
        private readonly Func<object?, object?>? _toProvider;
        private readonly Func<object?, object?>? _fromProvider;
        private readonly Type _clrType;
        private readonly Type? _providerType;

        public Column(IProperty property, RowSource source)
        {
            Property = property;
            var name = property.GetColumnName();
            Quoted = $"\"{name}\"";
            Parameter = "$" + name;
            Generated = property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType == typeof(long);
            var converter = property.GetTypeMapping().Converter;
            _toProvider = converter?.ConvertToProvider;
            _fromProvider = converter?.ConvertFromProvider;
            _clrType = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            _providerType = converter?.ProviderClrType;

            var entity = Expression.Parameter(typeof(T), "e");
            var value = Expression.Parameter(typeof(object), "v");
            MemberInfo member = property.PropertyInfo is { } pi && pi.GetSetMethod(nonPublic: true) is not null
                ? pi
                : (MemberInfo?)property.FieldInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} cannot be set");
            var access = Expression.MakeMemberAccess(entity, member);
            _get = Expression.Lambda<Func<T, object?>>(Expression.Convert(access, typeof(object)), entity).Compile();
            _set = Expression.Lambda<Action<T, object?>>(Expression.Assign(access, Expression.Convert(value, property.ClrType)), entity, value).Compile();
            var storeType = property.GetRelationalTypeMapping().StoreType;
            StoreType = storeType.IndexOf('(', StringComparison.Ordinal) is var facets and > 0 ? storeType[..facets] : storeType;
            if (source == RowSource.Sqlite)
            {
                _load = CompileLoad(property, converter, entity, access);
                _bind = CompileBind(property, converter, entity, access);
            }
            else
            {
                _loadDb = CompileDbLoad(property, converter, entity, access);
            }
        }

        /// <summary>The column's type in the store without its facets (<c>character varying</c> for <c>character varying(32)</c>).</summary>
        public string StoreType { get; }

        // The same as CompileLoad for an ADO.NET reader: reader.GetFieldValue<TProvider>(i), typed, converted.
        private static Action<T, DbDataReader, int> CompileDbLoad(IProperty property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter, ParameterExpression entity, MemberExpression access)
        {
            var reader = Expression.Parameter(typeof(DbDataReader), "r");
            var ordinal = Expression.Parameter(typeof(int), "i");
            var providerType = converter?.ProviderClrType ?? Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            var storeType = providerType.IsEnum ? Enum.GetUnderlyingType(providerType) : providerType;
            Expression read = Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!.MakeGenericMethod(storeType), ordinal);
            return Expression.Lambda<Action<T, DbDataReader, int>>(Assign(property, converter, access, read, storeType, providerType,
                Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull), [typeof(int)])!, ordinal)), entity, reader, ordinal).Compile();
        }

        // entity.Property = isNull ? default : convert(read)
        private static BinaryExpression Assign(IProperty property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter, MemberExpression access,
            Expression read, Type storeType, Type providerType, Expression isNull)
        {
            if (storeType != providerType)
            {
                read = Expression.Convert(read, providerType);
            }
            if (converter is not null)
            {
                var fromProvider = converter.ConvertFromProviderExpression;
                read = new ParameterReplacer(fromProvider.Parameters[0], read).Visit(fromProvider.Body);
            }
            if (read.Type != property.ClrType)
            {
                read = Expression.Convert(read, property.ClrType);
            }
            return Expression.Assign(access, Expression.Condition(isNull, Expression.Default(property.ClrType), read));
        }

        // reader.IsDBNull(i) ? default : convert(reader.GetXxx(i)), typed end to end: no boxing per column.
        private static Action<T, RawStatement, int> CompileLoad(IProperty property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter, ParameterExpression entity, MemberExpression access)
        {
            var reader = Expression.Parameter(typeof(RawStatement), "r");
            var ordinal = Expression.Parameter(typeof(int), "i");
            var isNull = Expression.Call(reader, typeof(RawStatement).GetMethod(nameof(RawStatement.IsDBNull), [typeof(int)])!, ordinal);
            if (property.ClrType == typeof(JsonText))
            {
                // The column's UTF-8 as the document, not a string the converter would encode again.
                var json = Expression.Call(reader, typeof(RawStatement).GetMethod(nameof(RawStatement.GetJsonText), [typeof(int)])!, ordinal);
                return Expression.Lambda<Action<T, RawStatement, int>>(
                    Expression.Assign(access, Expression.Condition(isNull, Expression.Default(typeof(JsonText)), json)), entity, reader, ordinal).Compile();
            }
            var modelType = converter?.ModelClrType ?? Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            var providerType = converter?.ProviderClrType ?? modelType;
            var storeType = providerType.IsEnum ? Enum.GetUnderlyingType(providerType) : providerType;
            var getter = storeType == typeof(long) ? nameof(RawStatement.GetInt64)
                : storeType == typeof(int) ? nameof(RawStatement.GetInt32)
                : storeType == typeof(short) ? nameof(RawStatement.GetInt16)
                : storeType == typeof(bool) ? nameof(RawStatement.GetBoolean)
                : storeType == typeof(double) ? nameof(RawStatement.GetDouble)
                : storeType == typeof(string) ? nameof(RawStatement.GetString)
                : throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is stored as {storeType.Name}; give it a converter to text, integer or real");
            Expression read = Expression.Call(reader, typeof(RawStatement).GetMethod(getter, [typeof(int)])!, ordinal);
            return Expression.Lambda<Action<T, RawStatement, int>>(Assign(property, converter, access, read, storeType, providerType, isNull), entity, reader, ordinal).Compile();
        }

        // statement.BindXxx(i, convert(entity.Property)), or BindNull when it has no value: typed end to end, so a row's
        // ints, dates and enums are not boxed twice each (into the converter's object delegate and out of it) on the
        // store's single writer. A JSON document binds its UTF-8 as it is. Other provider types go through Bind(object).
        private static Action<T, RawStatement, int> CompileBind(IProperty property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter, ParameterExpression entity, MemberExpression access)
        {
            var statement = Expression.Parameter(typeof(RawStatement), "s");
            var index = Expression.Parameter(typeof(int), "i");
            var clrType = property.ClrType;
            var underlying = Nullable.GetUnderlyingType(clrType);
            Expression? hasValue = underlying is not null ? Expression.Property(access, nameof(Nullable<int>.HasValue))
                : clrType.IsValueType ? null
                : Expression.NotEqual(access, Expression.Constant(null, clrType));
            Expression value = underlying is not null ? Expression.Property(access, nameof(Nullable<int>.Value)) : access;
            if (converter is not null && clrType != typeof(JsonText))
            {
                var toProvider = converter.ConvertToProviderExpression;
                var input = toProvider.Parameters[0];
                value = new ParameterReplacer(input, value.Type == input.Type ? value : Expression.Convert(value, input.Type)).Visit(toProvider.Body);
            }
            var type = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
            if (type != value.Type)
            {
                value = Expression.Convert(value, type); // a converter that returns a nullable: the null case is above
            }
            if (type.IsEnum)
            {
                type = Enum.GetUnderlyingType(type);
                value = Expression.Convert(value, type);
            }
            Expression call = type == typeof(JsonText) ? Call(nameof(RawStatement.BindJson), value)
                : type == typeof(string) ? Call(nameof(RawStatement.BindText), value)
                : type == typeof(long) ? Call(nameof(RawStatement.BindInt64), value)
                : type == typeof(int) || type == typeof(short) || type == typeof(byte) ? Call(nameof(RawStatement.BindInt64), Expression.Convert(value, typeof(long)))
                : type == typeof(bool) ? Call(nameof(RawStatement.BindInt64), Expression.Condition(value, Expression.Constant(1L), Expression.Constant(0L)))
                : type == typeof(double) ? Call(nameof(RawStatement.BindDouble), value)
                : Expression.Call(statement, typeof(RawStatement).GetMethod(nameof(RawStatement.Bind), [typeof(int), typeof(object)])!, index, Expression.Convert(value, typeof(object)));
            if (hasValue is not null)
            {
                call = Expression.Condition(hasValue, call, Call(nameof(RawStatement.BindNull)), typeof(void));
            }
            return Expression.Lambda<Action<T, RawStatement, int>>(call, entity, statement, index).Compile();

            MethodCallExpression Call(string method, params Expression[] value) =>
                Expression.Call(statement, typeof(RawStatement).GetMethod(method, [typeof(int), .. value.Select(v => v.Type)])!, [index, .. value]);
        }

        private sealed class ParameterReplacer(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
        {
            protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
        }

        /// <summary>Sets the property from column <paramref name="ordinal"/> of the current row.</summary>
        public void Load(T entity, RawStatement reader, int ordinal) => _load!(entity, reader, ordinal);

        /// <summary>Sets the property from column <paramref name="ordinal"/> of the reader's current row.</summary>
        public void Load(T entity, DbDataReader reader, int ordinal) => _loadDb!(entity, reader, ordinal);

        public IProperty Property { get; }
        public string Quoted { get; }
        public string Parameter { get; }
        public bool Generated { get; }

        /// <summary>Binds the entity's value, as the store keeps it, to parameter <paramref name="index"/> of the statement.</summary>
        public void Bind(T entity, RawStatement statement, int index) => _bind!(entity, statement, index);

        /// <summary>The entity's value as the store keeps it (after the model's converter).</summary>
        public object? Read(T entity) => ToStore(_get(entity));

        public void Write(T entity, object? stored) => _set(entity, stored is null ? null : FromStore(stored));

        /// <summary>A value of the property's type as the store keeps it, for a parameter.</summary>
        public object? ToStore(object? value) => value is null ? null : _toProvider is null ? value : _toProvider(value);

        /// <summary>A stored value as the property's type.</summary>
        public object FromStore(object stored) => _fromProvider is not null ? _fromProvider(Coerce(stored, _providerType!))! : Coerce(stored, _clrType);

        // SQLite hands back long, double, string or bytes; the property (or the converter) wants its own type.
        private static object Coerce(object stored, Type type)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (stored.GetType() == target)
            {
                return stored;
            }
            if (target == typeof(bool))
            {
                return Convert.ToInt64(stored, System.Globalization.CultureInfo.InvariantCulture) != 0;
            }
            if (target.IsEnum)
            {
                return Enum.ToObject(target, stored);
            }
            return Convert.ChangeType(stored, target, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>Where a <see cref="RowMap{T}"/> reads rows from.</summary>
internal enum RowSource
{
    /// <summary>SQLite's own API (<see cref="RawStatement"/>): the model must store text, integers or reals.</summary>
    Sqlite,

    /// <summary>An ADO.NET reader (PostgreSQL): any type its provider reads.</summary>
    Database,
}
