using MimeKit;
using Otklik.Channels.Email;

namespace Otklik.Server.Tests;

/// <summary>What the e-mail adapter reads from a mail, without a server: loops, authentication, quotes.</summary>
public sealed class InboundMailTests
{
    private static readonly EmailOptions s_options = new() { Address = "support@otklik.test", AuthServId = "mx.otklik.test" };

    private static MimeMessage Mail(string from = "anna@example.test", params (string Name, string Value)[] headers)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse("support@otklik.test"));
        m.Subject = "Заказ ORD-1";
        m.MessageId = "m1@example.test";
        foreach (var (name, value) in headers)
        {
            m.Headers.Add(name, value);
        }
        m.Body = new TextPart("plain") { Text = "Текст" };
        return m;
    }

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied", "auto-submitted")]
    [InlineData("Auto-Submitted", "auto-generated", "auto-submitted")]
    [InlineData("Auto-Submitted", "no", null)]
    [InlineData("X-Autoreply", "yes", "auto-reply")]
    [InlineData("Precedence", "bulk", "bulk")]
    [InlineData("Precedence", "junk", "bulk")]
    [InlineData("List-Id", "<news.example.test>", "mailing list")]
    [InlineData("List-Unsubscribe", "<mailto:u@example.test>", "mailing list")]
    [InlineData("Return-Path", "<>", "delivery report")]
    [InlineData("X-Otklik-Ticket", "T-000001", "our own message")]
    [InlineData("X-Mailer", "Thunderbird", null)]
    public void LoopsAndBulkMail_AreRecognisedByTheirHeaders(string header, string value, string? expected) =>
        Assert.Equal(expected, InboundMail.Read(Mail(headers: (header, value)), s_options).IgnoredBecause);

    [Theory]
    [InlineData("support@otklik.test", "our own message")]
    [InlineData("MAILER-DAEMON@example.test", "no sender to answer")]
    [InlineData("anna@example.test", null)]
    public void SendersThatMustNotBeAnswered(string from, string? expected) =>
        Assert.Equal(expected, InboundMail.Read(Mail(from), s_options).IgnoredBecause);

    [Theory]
    [InlineData("mx.otklik.test; dkim=pass header.d=example.test", true)]
    [InlineData("mx.otklik.test; dmarc=pass header.from=example.test", true)]
    [InlineData("mx.otklik.test; spf=pass smtp.mailfrom=anna@example.test", true)]
    [InlineData("mx.otklik.test; dkim=fail header.d=example.test", false)]
    [InlineData("mx.otklik.test; dkim=pass header.d=other.test", false)]
    [InlineData("mx.attacker.test; dkim=pass header.d=example.test", false)]
    [InlineData("garbage;;;", false)]
    public void OnlyOurMailExchangerCanVouchForTheSender(string results, bool authenticated) =>
        Assert.Equal(authenticated, InboundMail.Read(Mail(headers: ("Authentication-Results", results)), s_options).SenderAuthenticated);

    [Fact]
    public void QuotedHistory_IsDropped()
    {
        var text = InboundMail.StripQuoted("Новый текст\nещё строка\n\nOn Mon, 1 Dec 2026 at 10:00, Otklik wrote:\n> старое\n> ещё старое");
        Assert.Equal("Новый текст\nещё строка", text);
        Assert.Equal("Ответ", InboundMail.StripQuoted("Ответ\n\n25.11.2026, 12:00, Поддержка пишет:\n> старое".Replace("пишет", "писал(а)", StringComparison.Ordinal)));
    }

    [Fact]
    public void HtmlOnlyMail_IsReadAsText_WithoutScripts()
    {
        var m = Mail();
        m.Body = new TextPart("html") { Text = "<p>Чайник <b>треснул</b></p><script>alert(1)</script><p>Заказ ORD-1</p>" };
        var read = InboundMail.Read(m, s_options);
        Assert.Contains("Чайник треснул", read.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", read.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", read.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTicketNumberInTheSubject_AndTheThreadIds_AreRead()
    {
        var m = Mail();
        m.Subject = "Re: Заказ ORD-1 [T-000042]";
        m.InReplyTo = "a@otklik.test";
        m.References.Add("b@otklik.test");
        m.References.Add("a@otklik.test");
        var read = InboundMail.Read(m, s_options);
        Assert.Equal("T-000042", read.TicketNumber);
        Assert.Equal(["a@otklik.test", "b@otklik.test"], read.ThreadIds);
    }
}
