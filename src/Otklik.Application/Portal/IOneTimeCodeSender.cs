namespace Otklik.Application.Portal;

/// <summary>Delivers a login code to a phone (an SMS gateway in production; the page and the log in the demo).</summary>
public interface IOneTimeCodeSender
{
    /// <summary>True when the code is shown on the login page itself (demo only).</summary>
    bool ShowsCodeOnPage { get; }

    Task SendAsync(string phone, string code, CancellationToken ct);
}
