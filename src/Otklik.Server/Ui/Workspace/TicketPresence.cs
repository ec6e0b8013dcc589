using System.Collections.Concurrent;

namespace Otklik.Server.Ui.Workspace;

/// <summary>Who is looking at which ticket right now (this node's live connections), so agents do not answer twice.</summary>
public sealed class TicketPresence
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, int>> _viewers = new(StringComparer.Ordinal);

    public IDisposable Join(string ticketId, string agent)
    {
        var viewers = _viewers.GetOrAdd(ticketId, _ => new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        viewers.AddOrUpdate(agent, 1, (_, n) => n + 1);
        return new Leave(viewers, agent);
    }

    public IReadOnlyList<string> Viewers(string ticketId) =>
        _viewers.TryGetValue(ticketId, out var viewers) ? [.. viewers.Where(kv => kv.Value > 0).Select(kv => kv.Key).Order(StringComparer.Ordinal)] : [];

    private sealed class Leave(ConcurrentDictionary<string, int> viewers, string agent) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                viewers.AddOrUpdate(agent, 0, (_, n) => Math.Max(0, n - 1));
            }
        }
    }
}
