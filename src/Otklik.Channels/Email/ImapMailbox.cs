using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Otklik.Channels.Email;

/// <summary>
/// Reads the support mailbox over IMAP: every unseen mail is handed to <see cref="EmailInbound"/> and
/// marked seen only after it was stored (and answered), so a crash means reading it again, never losing
/// it. A mail that keeps failing is flagged for a person after a few attempts instead of blocking the rest.
/// </summary>
public sealed partial class ImapMailbox(IServiceScopeFactory scopes, IOptions<EmailOptions> options, ILogger<ImapMailbox> logger) : IDisposable
{
    /// <summary>IMAP keyword on mail the desk gave up on; search for it in the mail client.</summary>
    public const string FailedKeyword = "$OtklikFailed";

    private readonly SemaphoreSlim _oneReader = new(1, 1);
    private readonly Dictionary<(uint Validity, uint Uid), int> _failures = [];

    public sealed record PollResult(int Read, int Appeals, int Replies, int Ignored, int Failed);

    /// <summary>One pass over the unseen mail. Serialized: two passes on one node never read the same mail twice.</summary>
    public async Task<PollResult> PollOnceAsync(CancellationToken ct)
    {
        await _oneReader.WaitAsync(ct);
        try
        {
            using var client = await ConnectAsync(ct);
            var result = await ReadUnseenAsync(client, ct);
            await client.DisconnectAsync(true, ct);
            return result;
        }
        finally
        {
            _oneReader.Release();
        }
    }

    /// <summary>
    /// Reads, then waits for new mail with IDLE when the server has it (at most <see cref="EmailOptions.PollSeconds"/>),
    /// else for the poll interval. Returns when it is time for the next pass.
    /// </summary>
    public async Task PollAndWaitAsync(TimeProvider time, CancellationToken ct)
    {
        await PollOnceAsync(ct);
        var wait = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        using var client = await ConnectAsync(ct);
        if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await client.DisconnectAsync(true, ct);
            await Task.Delay(wait, time, ct);
            return;
        }
        var folder = await client.GetFolderAsync(options.Value.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadOnly, ct);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        done.CancelAfter(wait);
        folder.CountChanged += (_, _) => done.Cancel();
        await client.IdleAsync(done.Token, ct);
        await client.DisconnectAsync(true, ct);
    }

    private async Task<ImapClient> ConnectAsync(CancellationToken ct)
    {
        var imap = options.Value.Imap;
        var client = new ImapClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(imap.Host ?? throw new InvalidOperationException("Channels:Email:Imap:Host is not set."), imap.Port, EmailSender.Security(imap.Security), ct);
            await client.AuthenticateAsync(imap.User ?? options.Value.Address ?? "", imap.Password ?? "", ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<PollResult> ReadUnseenAsync(ImapClient client, CancellationToken ct)
    {
        var folder = await client.GetFolderAsync(options.Value.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var uids = await folder.SearchAsync(SearchQuery.NotSeen.And(SearchQuery.NotKeyword(FailedKeyword)), ct);
        int appeals = 0, replies = 0, ignored = 0, failed = 0;
        foreach (var uid in uids)
        {
            try
            {
                var message = await folder.GetMessageAsync(uid, ct);
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<EmailInbound>().ProcessAsync(message, ct);
                switch (outcome.Kind)
                {
                    case EmailInbound.Kind.Appeal: appeals++; break;
                    case EmailInbound.Kind.Reply: replies++; break;
                    case EmailInbound.Kind.Ignored: ignored++; break;
                }
                await folder.AddFlagsAsync(uid, MessageFlags.Seen, true, ct);
                _failures.Remove((folder.UidValidity, uid.Id));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                var key = (folder.UidValidity, uid.Id);
                var attempts = _failures[key] = _failures.GetValueOrDefault(key) + 1;
                if (attempts >= options.Value.MaxAttempts)
                {
                    await folder.AddFlagsAsync(uid, MessageFlags.Flagged, new HashSet<string> { FailedKeyword }, true, ct);
                    _failures.Remove(key);
                    LogGaveUp(ex, uid.Id, attempts);
                }
                else
                {
                    LogFailed(ex, uid.Id, attempts);
                }
            }
        }
        return new PollResult(uids.Count, appeals, replies, ignored, failed);
    }

    public void Dispose() => _oneReader.Dispose();

    [LoggerMessage(EventId = 7311, Level = LogLevel.Warning, Message = "Mail uid {Uid} could not be taken (attempt {Attempts}); it stays unseen and is read again")]
    private partial void LogFailed(Exception ex, uint uid, int attempts);

    [LoggerMessage(EventId = 7312, Level = LogLevel.Error, Message = "Mail uid {Uid} failed {Attempts} times; flagged " + FailedKeyword + " in the mailbox for a person to handle")]
    private partial void LogGaveUp(Exception ex, uint uid, int attempts);
}
