using Otklik.Channels.Telegram;
using Telegram.Bot;

namespace Otklik.Server.Hosting;

/// <summary>Long polling (Channels:Telegram:Mode = polling): asks the Bot API for updates and hands each to the bot.</summary>
public sealed partial class TelegramPollingService(ITelegramBotClient bot, IServiceScopeFactory scopes, ILogger<TelegramPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int? offset = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await bot.GetUpdates(offset, timeout: 25, cancellationToken: stoppingToken);
                foreach (var update in updates)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<TelegramBot>().HandleAsync(update, stoppingToken);
                    offset = update.Id + 1;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Telegram polling failed; trying again in 5 s")]
    private partial void LogFailed(Exception ex);
}
