using Otklik.Channels.Email;

namespace Otklik.Server.Hosting;

/// <summary>Reads the support mailbox (Channels:Email:Imap) for as long as the server runs: a pass, then IDLE or the poll interval.</summary>
public sealed partial class EmailPollingService(ImapMailbox mailbox, TimeProvider time, ILogger<EmailPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await mailbox.PollAndWaitAsync(time, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(10), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 7321, Level = LogLevel.Warning, Message = "Mailbox not reachable; trying again in 10 s")]
    private partial void LogFailed(Exception ex);
}
