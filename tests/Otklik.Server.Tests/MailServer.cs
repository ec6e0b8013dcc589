using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Otklik.Server.Tests;

/// <summary>
/// A real mail server on loopback for the e-mail channel's tests: Debian's Dovecot (IMAP, and LMTP for
/// delivery) and OpenSMTPD (SMTP) relaying into it, each started from a configuration written into a
/// fresh directory, on free ports. Every address is a mailbox, with the password <see cref="Password"/>.
/// <c>.ci/run</c> installs the packages (dovecot-imapd, dovecot-lmtpd, opensmtpd).
/// </summary>
public sealed class MailServer : IAsyncLifetime
{
    public const string Password = "mail-test-secret";
    public const string Domain = "otklik.test";
    public const string AuthServId = "mx.otklik.test";
    public const string SupportAddress = "support@otklik.test";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "otklik-mail-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _dovecot;
    private Process? _smtpd;

    public int ImapPort { get; private set; }
    public int SmtpPort { get; private set; }

    public async Task InitializeAsync()
    {
        foreach (var binary in new[] { "/usr/sbin/dovecot", "/usr/sbin/smtpd", "/usr/lib/dovecot/lmtp" })
        {
            if (!File.Exists(binary))
            {
                throw new InvalidOperationException($"The e-mail tests need a real mail server: {binary} is missing. Install Debian's dovecot-imapd, dovecot-lmtpd and opensmtpd (bash .ci/run does).");
            }
        }
        // A server left behind by a test run that was killed holds OpenSMTPD's control socket.
        Run("pkill", "-f", "smtpd -d -f " + Path.GetTempPath() + "otklik-mail-");
        Directory.CreateDirectory(Path.Combine(_root, "mail"));
        Directory.CreateDirectory(Path.Combine(_root, "state"));
        Run("chmod", "755", _root);
        Run("chown", "-R", "dovecot:dovecot", Path.Combine(_root, "mail"));
        ImapPort = FreePort();
        var lmtpPort = FreePort();
        SmtpPort = FreePort();
        var dovecotConf = Path.Combine(_root, "dovecot.conf");
        await File.WriteAllTextAsync(dovecotConf, $$"""
            protocols = imap lmtp
            base_dir = {{_root}}/run
            state_dir = {{_root}}/state
            log_path = {{_root}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_internal_user = dovecot
            default_login_user = dovenull
            first_valid_uid = 1
            mail_location = maildir:{{_root}}/mail/%u
            passdb {
              driver = static
              args = password={{Password}}
            }
            userdb {
              driver = static
              args = uid=dovecot gid=dovecot home={{_root}}/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{ImapPort}}
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = {{lmtpPort}}
              }
            }
            """);
        var smtpdConf = Path.Combine(_root, "smtpd.conf");
        await File.WriteAllTextAsync(smtpdConf, $$"""
            queue ttl 1h
            table vusers { "@" = "dovecot" }
            listen on 127.0.0.1 port {{SmtpPort}}
            action "lmtp" lmtp "127.0.0.1:{{lmtpPort}}" rcpt-to virtual <vusers>
            match from any for any action "lmtp"
            """);
        Run("chmod", "600", smtpdConf);
        _dovecot = Start("/usr/sbin/dovecot", "-F", "-c", dovecotConf);
        _smtpd = Start("/usr/sbin/smtpd", "-d", "-f", smtpdConf);
        await WaitForPortAsync(ImapPort);
        await WaitForPortAsync(SmtpPort);
    }

    public Task DisposeAsync()
    {
        foreach (var p in new[] { _smtpd, _dovecot })
        {
            if (p is { HasExited: false })
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            p?.Dispose();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    /// <summary>Sends a mail through the SMTP server, as a customer's mail provider would.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>Waits until <paramref name="address"/>'s inbox holds at least <paramref name="count"/> mails matching the filter; returns them.</summary>
    public async Task<IReadOnlyList<MimeMessage>> InboxAsync(string address, int count = 1, Func<MimeMessage, bool>? filter = null, int timeoutMs = 15_000)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var found = await ReadInboxAsync(address);
            var matching = found.Where(m => filter?.Invoke(m) ?? true).ToList();
            if (matching.Count >= count || sw.ElapsedMilliseconds > timeoutMs)
            {
                return matching;
            }
            await Task.Delay(100);
        }
    }

    public async Task<List<MimeMessage>> ReadInboxAsync(string address)
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(address, Password);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var list = new List<MimeMessage>();
        foreach (var uid in await client.Inbox.SearchAsync(SearchQuery.All))
        {
            list.Add(await client.Inbox.GetMessageAsync(uid));
        }
        await client.DisconnectAsync(true);
        return list;
    }

    /// <summary>Waits until the support inbox has a mail with this Message-ID (delivery through the SMTP queue is asynchronous).</summary>
    public Task WaitDeliveredAsync(string messageId) => InboxAsync(SupportAddress, 1, m => m.MessageId == messageId);

    /// <summary>Marks every mail of the support inbox unseen again: what a second reader, or a crash before the flag, looks like.</summary>
    public async Task MarkAllUnseenAsync()
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(SupportAddress, Password);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var all = await client.Inbox.SearchAsync(SearchQuery.All);
        await client.Inbox.RemoveFlagsAsync(all, MessageFlags.Seen, true);
        await client.DisconnectAsync(true);
    }

    public Dictionary<string, string> DeskSettings() => new()
    {
        ["Channels:Email:Address"] = SupportAddress,
        ["Channels:Email:AuthServId"] = AuthServId,
        ["Channels:Email:Imap:Host"] = "127.0.0.1",
        ["Channels:Email:Imap:Port"] = ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Channels:Email:Imap:Security"] = "none",
        ["Channels:Email:Imap:Password"] = Password,
        ["Channels:Email:Smtp:Host"] = "127.0.0.1",
        ["Channels:Email:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Channels:Email:Smtp:Security"] = "none",
        ["Channels:Email:WebhookSecret"] = "email-webhook-secret-0001",
    };

    private static Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Start(file, args);
        p.WaitForExit(10_000);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"The mail server did not open port {port}.");
    }
}
