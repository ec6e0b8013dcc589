using System.Text.Json;
using Microsoft.Data.Sqlite;

// The load baseline: the least a durable intake endpoint can do on this machine — parse the JSON
// body and insert one row into SQLite (WAL, synchronous=NORMAL, as Otklik runs it). Otklik's figure
// is reported as a ratio of this one, measured in the same run.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
if (app.Configuration.GetValue<bool>("refuse"))
{
    // The other baseline (bench/load/overload.sh): the least any ASP.NET Core answer costs here — every request
    // refused at once with the 503 Otklik sheds with, its body left unread. Otklik's shed cost is set against it.
    var refusal = """{"type":"https://otklik.dev/problems/overloaded","title":"Overloaded","status":503,"detail":"The server is at capacity; retry after the given seconds."}"""u8.ToArray();
    app.Run(context =>
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "application/problem+json";
        context.Response.ContentLength = refusal.Length;
        return context.Response.Body.WriteAsync(refusal).AsTask();
    });
    await app.RunAsync();
    return;
}
var path = Path.Combine(app.Configuration["data-dir"] ?? Path.GetTempPath(), "bare.db");
var connectionString = $"Data Source={path};Default Timeout=30";
await using (var setup = new SqliteConnection(connectionString))
{
    await setup.OpenAsync();
    await using var create = setup.CreateCommand();
    create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, idempotency_key TEXT UNIQUE, body TEXT NOT NULL, at INTEGER NOT NULL);";
    await create.ExecuteNonQueryAsync();
}
var writer = new SemaphoreSlim(1, 1);

app.MapPost("/api/v1/appeals", async (HttpRequest request) =>
{
    using var doc = await JsonDocument.ParseAsync(request.Body);
    await writer.WaitAsync();
    try
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL; INSERT INTO rows (idempotency_key, body, at) VALUES ($k, $b, $t) RETURNING id;";
        command.Parameters.AddWithValue("$k", request.Headers["Idempotency-Key"].ToString());
        command.Parameters.AddWithValue("$b", doc.RootElement.GetRawText());
        command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.UtcTicks);
        var id = (long)(await command.ExecuteScalarAsync())!;
        return Results.Created($"/rows/{id}", new { id });
    }
    finally
    {
        writer.Release();
    }
});

await app.RunAsync();
