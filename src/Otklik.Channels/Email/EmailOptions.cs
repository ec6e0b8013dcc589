namespace Otklik.Channels.Email;

/// <summary>The support mailbox (configuration section <c>Channels:Email</c>); off without an address.</summary>
public sealed class EmailOptions
{
    public const string Section = "Channels:Email";

    /// <summary>The desk's address: mail to it opens appeals, replies come from it.</summary>
    public string? Address { get; set; }

    public string DisplayName { get; set; } = "Otklik support";

    /// <summary>
    /// The authserv-id of the desk's own mail exchanger (RFC 8601), e.g. <c>mx.example.ru</c>. Only an
    /// Authentication-Results header from it with a DMARC, DKIM or SPF pass for the sender's domain makes
    /// a verified account e-mail count as verified; without it the sender is known but unverified.
    /// </summary>
    public string? AuthServId { get; set; }

    public MailServer Imap { get; set; } = new() { Port = 993, Security = "ssl" };

    public MailServer Smtp { get; set; } = new() { Port = 587, Security = "starttls" };

    /// <summary>Mailbox folder read for new mail.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>How often the mailbox is read when the server has no IDLE (and the longest IDLE wait).</summary>
    public int PollSeconds { get; set; } = 30;

    /// <summary>A mail that fails this many times is flagged in the mailbox and left for a person.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Secret for <c>POST /api/v1/channels/email/messages</c> (an MTA piping mail to the desk).</summary>
    public string? WebhookSecret { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Address);

    public bool ReadsMailbox => Enabled && !string.IsNullOrWhiteSpace(Imap.Host);

    public bool Sends => Enabled && !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <summary>The domain of our Message-IDs: mail that comes back with it is our own.</summary>
    public string Domain => Address is { } a && a.IndexOf('@') is var at and > 0 ? a[(at + 1)..].ToLowerInvariant() : "otklik.local";
}

public sealed class MailServer
{
    public string? Host { get; set; }
    public int Port { get; set; }

    /// <summary>"ssl" (implicit TLS), "starttls" (required), or "none" (loopback and tests only).</summary>
    public string Security { get; set; } = "ssl";

    public string? User { get; set; }
    public string? Password { get; set; }
}
