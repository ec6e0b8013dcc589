using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Otklik.Application;

namespace Otklik.Cli;

/// <summary>
/// <c>otklik</c>, the administrator's command line: agents and API keys, imports, the production
/// calendar, policy replays and decision exports — straight on the store the server uses
/// (<c>--data-dir</c> for the embedded one, <c>--postgres</c> or <c>ConnectionStrings__Postgres</c>).
/// </summary>
public static class OtklikCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var dataDir = new Option<string>("--data-dir") { Description = "The server's data directory (embedded store)", DefaultValueFactory = _ => "data", Recursive = true };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string (instead of the embedded store)", Recursive = true };
        var root = new RootCommand("Otklik administration: agents, API keys, imports, calendar, policy replays, exports.");
        root.Options.Add(dataDir);
        root.Options.Add(postgres);
        var context = new CliContext(dataDir, postgres, output, error);
        root.Subcommands.Add(AdminCommands.Agents(context));
        root.Subcommands.Add(AdminCommands.Keys(context));
        root.Subcommands.Add(ImportCommands.Import(context));
        root.Subcommands.Add(AdminCommands.Calendar(context));
        root.Subcommands.Add(SimulateCommand.Create(context));
        root.Subcommands.Add(ExportCommands.Export(context));
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}

/// <summary>What every command needs: where the store is, and where to write.</summary>
public sealed class CliContext(Option<string> dataDir, Option<string?> postgres, TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    public async Task<IHost> OpenStoreAsync(ParseResult parsed, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOptions<DeskOptions>().BindConfiguration(DeskOptions.Section);
        var directory = Path.GetFullPath(parsed.GetValue(dataDir) ?? "data");
        builder.Services.AddOtklikApplication(directory, parsed.GetValue(postgres) ?? builder.Configuration.GetConnectionString("Postgres"));
        var host = builder.Build();
        await host.Services.MigrateOtklikStoreAsync(ct);
        return host;
    }

    public async Task<int> WithStoreAsync(ParseResult parsed, CancellationToken ct, Func<IServiceProvider, Task<int>> action)
    {
        try
        {
            using var host = await OpenStoreAsync(parsed, ct);
            await using var scope = host.Services.CreateAsyncScope();
            return await action(scope.ServiceProvider);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or FormatException or System.Text.Json.JsonException)
        {
            await Error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
    }

    public static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
