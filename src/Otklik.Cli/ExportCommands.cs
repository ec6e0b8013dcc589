using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Core;
using Otklik.Data;

namespace Otklik.Cli;

internal static class ExportCommands
{
    public static Command Export(CliContext cli)
    {
        var from = new Option<string>("--from") { Description = "Start of the period (UTC), e.g. 2026-11-01", Required = true };
        var to = new Option<string>("--to") { Description = "End of the period (exclusive)", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The CSV file to write", Required = true };
        var decisions = new Command("decisions", "Export a period's decisions as CSV (no texts or contacts: ids, outcomes, rules, reasons)") { from, to, output };
        decisions.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var db = services.GetRequiredService<OtklikDbContext>();
            var start = CliContext.ParseTime(parsed.GetValue(from)!);
            var end = CliContext.ParseTime(parsed.GetValue(to)!);
            var path = parsed.GetValue(output)!.FullName;
            await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
            await writer.WriteLineAsync("appeal_id,received_at,channel,role,account_id,order_number,problem_type,outcome,priority,decided_by,reason,policy_version,ticket_id");
            var count = 0;
            await foreach (var a in db.Appeals.AsNoTracking().Where(a => a.CreatedAt >= start && a.CreatedAt < end).OrderBy(a => a.CreatedAt).AsAsyncEnumerable().WithCancellation(ct))
            {
                string[] cells =
                [
                    a.AppealId, a.ReceivedAt.ToString("O", CultureInfo.InvariantCulture), WireName.Of(a.Channel), WireName.Of(a.Role), a.AccountId ?? "", a.OrderNumber ?? "", a.ProblemType,
                    WireName.Of(a.Outcome), WireName.Of(a.Priority), a.DecidedBy ?? "", a.Reason ?? "", a.PolicyVersion, a.TicketId ?? a.AdmittedTicketId ?? "",
                ];
                await writer.WriteLineAsync(string.Join(',', cells.Select(Csv.Escape)));
                count++;
            }
            await cli.Out.WriteLineAsync($"wrote {count} decisions to {path}");
            return 0;
        }));
        return new Command("export", "Export data") { decisions };
    }
}
