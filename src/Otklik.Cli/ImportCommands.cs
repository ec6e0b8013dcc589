using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Directory;
using Otklik.Core;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;

namespace Otklik.Cli;

/// <summary>
/// Accounts and orders from the marketplace, as CSV (a header row with the API's field names) or a JSON
/// array of the API's bodies plus <c>account_id</c> / <c>number</c>. A bad record is reported by line and
/// skipped; the rest are imported.
/// </summary>
internal static class ImportCommands
{
    public static Command Import(CliContext cli)
    {
        var accountsFile = new Argument<FileInfo>("file") { Description = "accounts.csv or accounts.json" };
        var accounts = new Command("accounts", "Import accounts: account_id, role, created_at, last_active_at, name, phone, phone_verified, email, email_verified, blocked") { accountsFile };
        accounts.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var directory = services.GetRequiredService<DirectoryCommands>();
            return await RunAsync(cli, Records(parsed.GetValue(accountsFile)!), async r =>
            {
                var id = Required(r, "account_id");
                var data = new DirectoryCommands.AccountData(
                    Enum<RequesterRole>(r, "role") ?? RequesterRole.Buyer, Time(r, "created_at") ?? throw new FormatException("created_at is required"), Time(r, "last_active_at"),
                    Text(r, "name"), Text(r, "phone") is { } phone ? PhoneNumber.Normalize(phone) : null, Bool(r, "phone_verified"), Text(r, "email")?.ToLowerInvariant(), Bool(r, "email_verified"), Bool(r, "blocked"));
                await directory.UpsertAccountAsync(id, data, ct);
            });
        }));

        var ordersFile = new Argument<FileInfo>("file") { Description = "orders.csv or orders.json" };
        var orders = new Command("orders", "Import orders: number, account_id, status, created_at, shipped_at, delivered_at, price_rub, return_rules_given") { ordersFile };
        orders.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var directory = services.GetRequiredService<DirectoryCommands>();
            return await RunAsync(cli, Records(parsed.GetValue(ordersFile)!), async r =>
            {
                var number = Required(r, "number");
                var data = new DirectoryCommands.OrderData(Required(r, "account_id"), Enum<OrderStatus>(r, "status") ?? throw new FormatException("status is required"),
                    Time(r, "created_at") ?? throw new FormatException("created_at is required"), Time(r, "shipped_at"), Time(r, "delivered_at"),
                    decimal.Parse(Required(r, "price_rub"), NumberStyles.Number, CultureInfo.InvariantCulture), Text(r, "return_rules_given") is null || Bool(r, "return_rules_given"),
                    Text(r, "items") ?? "[]");
                await directory.UpsertOrderAsync(number, data, ct);
            });
        }));
        return new Command("import", "Import accounts and orders from CSV or JSON") { accounts, orders };
    }

    private static async Task<int> RunAsync(CliContext cli, IEnumerable<(int Line, Dictionary<string, string?> Fields)> records, Func<Dictionary<string, string?>, Task> import)
    {
        int ok = 0, refused = 0;
        foreach (var (line, fields) in records)
        {
            try
            {
                await import(fields);
                ok++;
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                refused++;
                await cli.Error.WriteLineAsync($"line {line}: {ex.Message}");
            }
        }
        await cli.Out.WriteLineAsync($"imported {ok}, refused {refused}");
        return refused == 0 ? 0 : 2;
    }

    public static IEnumerable<(int Line, Dictionary<string, string?> Fields)> Records(FileInfo file)
    {
        if (file.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file.FullName));
            var index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                index++;
                yield return (index, item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => p.Value.GetString(),
                    _ => p.Value.GetRawText(),
                }, StringComparer.OrdinalIgnoreCase));
            }
            yield break;
        }
        var rows = Csv.Read(File.ReadAllText(file.FullName, Encoding.UTF8)).ToList();
        if (rows.Count == 0)
        {
            yield break;
        }
        var header = rows[0].Select(h => h.Trim()).ToArray();
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i].Length == 1 && rows[i][0].Length == 0)
            {
                continue;
            }
            yield return (i + 1, header.Select((h, c) => (h, v: c < rows[i].Length ? rows[i][c] : null)).ToDictionary(x => x.h, x => string.IsNullOrEmpty(x.v) ? null : x.v, StringComparer.OrdinalIgnoreCase));
        }
    }

    private static string? Text(Dictionary<string, string?> r, string field) => r.GetValueOrDefault(field)?.Trim() is { Length: > 0 } v ? v : null;

    private static string Required(Dictionary<string, string?> r, string field) => Text(r, field) ?? throw new FormatException($"{field} is required");

    private static bool Bool(Dictionary<string, string?> r, string field) => Text(r, field)?.ToLowerInvariant() switch
    {
        null or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        var v => throw new FormatException($"{field}: '{v}' is not true or false"),
    };

    private static DateTimeOffset? Time(Dictionary<string, string?> r, string field) =>
        Text(r, field) is { } v ? DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;

    private static T? Enum<T>(Dictionary<string, string?> r, string field) where T : struct, System.Enum =>
        Text(r, field) is not { } v ? null : WireName.TryParse<T>(v, out var value) ? value : throw new FormatException($"{field}: '{v}' is not one of {string.Join(", ", WireName.All<T>())}");
}

/// <summary>RFC 4180: commas, quoted fields with doubled quotes and line breaks inside.</summary>
internal static class Csv
{
    public static IEnumerable<string[]> Read(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                row.Add(field.ToString());
                field.Clear();
                yield return [.. row];
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return [.. row];
        }
    }

    public static string Escape(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
