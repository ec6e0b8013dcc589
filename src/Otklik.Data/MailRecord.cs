namespace Otklik.Data;

/// <summary>
/// One e-mail the desk received or sent, by its Message-ID: the key that makes an inbound mail count
/// once, and the thread map that lets a customer's reply (In-Reply-To, References) find its ticket.
/// </summary>
public sealed class MailRecord
{
    public const int MaxMessageIdLength = 500;

    public required string MessageId { get; init; }
    public bool Outbound { get; init; }
    public string? TicketId { get; set; }
    public string? AppealId { get; set; }
    public required string Address { get; init; }
    public string Subject { get; init; } = "";
    public DateTimeOffset At { get; init; }
}
