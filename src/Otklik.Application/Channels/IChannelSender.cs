using Otklik.Core.Appeals;
using Otklik.Core.Tickets;

namespace Otklik.Application.Channels;

/// <summary>Delivers an agent's public reply back through the channel the ticket came from.</summary>
public interface IChannelSender
{
    Channel Channel { get; }

    /// <summary>True when the reply left; false when the channel could not take it (logged by the sender).</summary>
    Task<bool> DeliverAsync(Ticket ticket, string text, CancellationToken ct);
}
