using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Access;
using Otklik.Application.Calendar;
using Otklik.Application.Workspace;

namespace Otklik.Cli;

internal static class AdminCommands
{
    public static Command Agents(CliContext cli)
    {
        var login = new Option<string>("--login") { Description = "Sign-in name", Required = true };
        var name = new Option<string>("--name") { Description = "Name shown to colleagues", Required = true };
        var role = new Option<string>("--role") { Description = "agent or supervisor", DefaultValueFactory = _ => "agent" };
        var password = new Option<string?>("--password") { Description = "At least 10 characters (default: the OTKLIK_PASSWORD environment variable)" };
        var create = new Command("create", "Create a workspace login for an agent or supervisor") { login, name, role, password };
        create.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var secret = parsed.GetValue(password) ?? Environment.GetEnvironmentVariable("OTKLIK_PASSWORD");
            if (secret is null || secret.Length < 10)
            {
                await cli.Error.WriteLineAsync("error: give a password of at least 10 characters (--password or OTKLIK_PASSWORD)");
                return 1;
            }
            var r = parsed.GetValue(role)!;
            if (!AgentDirectory.Roles.Contains(r))
            {
                await cli.Error.WriteLineAsync("error: --role must be agent or supervisor");
                return 1;
            }
            if (!await services.GetRequiredService<AgentDirectory>().CreateAsync(parsed.GetValue(login)!, parsed.GetValue(name)!, secret, r, ct))
            {
                await cli.Error.WriteLineAsync($"error: the login '{parsed.GetValue(login)}' exists already");
                return 1;
            }
            await cli.Out.WriteLineAsync($"created {r} '{parsed.GetValue(login)}'");
            return 0;
        }));
        return new Command("agents", "Workspace logins") { create };
    }

    public static Command Keys(CliContext cli)
    {
        var name = new Option<string>("--name") { Description = "The client's name, e.g. marketplace-backend", Required = true };
        var role = new Option<string>("--role") { Description = "integration, agent or supervisor", Required = true };
        var create = new Command("create", "Create an API key (shown once; the store keeps its hash)") { name, role };
        create.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var key = await services.GetRequiredService<ApiKeys>().CreateAsync(parsed.GetValue(name)!, parsed.GetValue(role)!, "cli", ct);
            await cli.Out.WriteLineAsync($"{key.Name} ({key.Role}): {key.Key}");
            await cli.Out.WriteLineAsync("Store it now: it is not shown again.");
            return 0;
        }));

        var rotateName = new Option<string>("--name") { Description = "The client whose key to replace", Required = true };
        var grace = new Option<TimeSpan>("--grace") { Description = "How long the old key keeps working (e.g. 01:00:00)", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var rotate = new Command("rotate", "Issue a new key for a client; the old one stops after the grace period") { rotateName, grace };
        rotate.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var key = await services.GetRequiredService<ApiKeys>().RotateAsync(parsed.GetValue(rotateName)!, parsed.GetValue(grace), "cli", ct);
            if (key is null)
            {
                await cli.Error.WriteLineAsync($"error: no active key named '{parsed.GetValue(rotateName)}'");
                return 1;
            }
            await cli.Out.WriteLineAsync($"{key.Name} ({key.Role}): {key.Key}");
            await cli.Out.WriteLineAsync($"The previous key works for {parsed.GetValue(grace)} more. Store the new one now: it is not shown again.");
            return 0;
        }));

        var revokeName = new Option<string>("--name") { Description = "A client name or a key prefix", Required = true };
        var revoke = new Command("revoke", "Stop a client's keys now") { revokeName };
        revoke.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var n = await services.GetRequiredService<ApiKeys>().RevokeAsync(parsed.GetValue(revokeName)!, ct);
            await cli.Out.WriteLineAsync($"revoked {n} key(s)");
            return n > 0 ? 0 : 1;
        }));

        var list = new Command("list", "List keys (names, roles, prefixes; never the keys)");
        list.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var rows = (await services.GetRequiredService<ApiKeys>().ListAsync(ct))
                .Select(k => new[] { k.Name, k.Role, k.Prefix + "…", k.CreatedAt.ToString("yyyy-MM-dd HH:mm"), k.RevokedAt?.ToString("yyyy-MM-dd HH:mm") ?? "" }).ToList();
            ConsoleTable.Write(cli.Out, ["name", "role", "key", "created", "revoked"], rows);
            return 0;
        }));
        return new Command("keys", "API keys: create, rotate, revoke, list") { create, rotate, revoke, list };
    }

    public static Command Calendar(CliContext cli)
    {
        var year = new Option<int>("--year") { Description = "The year of the decree", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The year's calendar as JSON (the format of GET /api/v1/calendar/years/{year})", Required = true };
        var load = new Command("load", "Load a year of the production calendar (validated against its working-day total)") { year, file };
        load.SetAction((parsed, ct) => cli.WithStoreAsync(parsed, ct, async services =>
        {
            var json = await File.ReadAllTextAsync(parsed.GetValue(file)!.FullName, ct);
            try
            {
                var calendar = await services.GetRequiredService<CalendarService>().LoadYearAsync(parsed.GetValue(year), json, "cli", ct);
                await cli.Out.WriteLineAsync($"calendar now covers {calendar.FirstYear}–{calendar.LastYear}");
                return 0;
            }
            catch (CalendarService.CalendarInvalidException ex)
            {
                await cli.Error.WriteLineAsync("error: " + ex.Message);
                return 1;
            }
        }));
        return new Command("calendar", "The production calendar") { load };
    }
}
