using System.Collections.Concurrent;
using Otklik.Core.Appeals;

namespace Otklik.Channels.Telegram;

/// <summary>
/// Where each Telegram user is in the "help with order" conversation, and which updates were handled.
/// In process: a restart sends the user back to the order choice, which loses nothing they sent —
/// every appeal is stored the moment it is sent.
/// </summary>
public sealed class TelegramConversations
{
    private readonly ConcurrentDictionary<long, State> _states = new();
    private readonly ConcurrentDictionary<int, byte> _handled = new();
    private readonly ConcurrentQueue<int> _order = new();

    public sealed class State
    {
        public string? OrderNumber { get; set; }
        public string? ProblemType { get; set; }
        public List<AttachmentInfo> Photos { get; } = [];
    }

    public State For(long userId) => _states.GetOrAdd(userId, _ => new State());

    public void Reset(long userId) => _states.TryRemove(userId, out _);

    /// <summary>True the first time an update id is seen (the update id is the idempotency key).</summary>
    public bool FirstTime(int updateId)
    {
        if (!_handled.TryAdd(updateId, 0))
        {
            return false;
        }
        _order.Enqueue(updateId);
        while (_order.Count > 10_000 && _order.TryDequeue(out var old))
        {
            _handled.TryRemove(old, out _);
        }
        return true;
    }
}
