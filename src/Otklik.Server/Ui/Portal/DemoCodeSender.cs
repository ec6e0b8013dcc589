using Otklik.Application.Portal;
using Otklik.Core.Requesters;

namespace Otklik.Server.Ui.Portal;

/// <summary>Demo: the code is shown on the login page and written to the log.</summary>
public sealed partial class DemoCodeSender(ILogger<DemoCodeSender> logger) : IOneTimeCodeSender
{
    public bool ShowsCodeOnPage => true;

    public Task SendAsync(string phone, string code, CancellationToken ct)
    {
        LogCode(PhoneNumber.Mask(phone), code);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Demo login code for {Phone}: {Code}")]
    private partial void LogCode(string phone, string code);
}

/// <summary>Without an SMS gateway codes cannot be delivered; say so loudly instead of pretending.</summary>
public sealed partial class UnconfiguredCodeSender(ILogger<UnconfiguredCodeSender> logger) : IOneTimeCodeSender
{
    public bool ShowsCodeOnPage => false;

    public Task SendAsync(string phone, string code, CancellationToken ct)
    {
        LogNoGateway(PhoneNumber.Mask(phone));
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "No SMS gateway is configured: the login code for {Phone} was not delivered")]
    private partial void LogNoGateway(string phone);
}
