using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Otklik.Channels.Abstractions;
using Otklik.Channels.Email;

namespace Otklik.Server.Tests;

[CollectionDefinition(Name)]
public sealed class MailCollection : ICollectionFixture<MailServer>
{
    public const string Name = "mail server";
}

/// <summary>
/// The e-mail channel against a real mail server (Dovecot IMAP + OpenSMTPD): a new mail opens a ticket
/// and is answered in its thread, replies thread in, auto-replies and bulk mail do not, the agent's
/// answer arrives in the customer's mailbox with the right headers, and a mail read twice counts once.
/// </summary>
[Collection(MailCollection.Name)]
public sealed class EmailChannelTests : IDisposable
{
    private static readonly byte[] s_jpeg = TelegramBotApi.Jpeg;
    private readonly MailServer _mail;
    private readonly OtklikFactory _desk = new();

    public EmailChannelTests(MailServer mail)
    {
        _mail = mail;
        foreach (var (key, value) in mail.DeskSettings())
        {
            _desk.Settings[key] = value;
        }
    }

    public void Dispose() => _desk.Dispose();

    private Task<ImapMailbox.PollResult> PollAsync() => _desk.Services.GetRequiredService<ImapMailbox>().PollOnceAsync(CancellationToken.None);

    public static MimeMessage CustomerMail(string from, string subject, string body, MimeMessage? replyTo = null, bool authenticated = true)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Анна Петрова", from));
        message.To.Add(MailboxAddress.Parse(MailServer.SupportAddress));
        message.Subject = subject;
        message.MessageId = Guid.NewGuid().ToString("N") + "@mail.example.test";
        if (replyTo is not null)
        {
            message.InReplyTo = replyTo.MessageId;
            foreach (var r in replyTo.References)
            {
                message.References.Add(r);
            }
            message.References.Add(replyTo.MessageId!);
        }
        if (authenticated)
        {
            var domain = from[(from.IndexOf('@') + 1)..];
            message.Headers.Add(HeaderId.AuthenticationResults, $"{MailServer.AuthServId}; dkim=pass header.d={domain}; spf=pass smtp.mailfrom={from}; dmarc=pass header.from={domain}");
        }
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    private async Task<(string Account, string Order, string Address)> CustomerAsync()
    {
        var account = Api.NewId("a");
        var order = "ORD-" + Random.Shared.Next(10_000_000, 99_999_999);
        var address = account + "@example.test";
        var integration = _desk.Integration();
        await integration.PutAccountAsync(account, email: address);
        await integration.PutOrderAsync(order, account, "delivered", deliveredDaysAgo: 3);
        return (account, order, address);
    }

    private async Task DeliverAndPollAsync(MimeMessage message)
    {
        await _mail.SendAsync(message);
        await _mail.WaitDeliveredAsync(message.MessageId!);
        await PollAsync();
    }

    [Fact]
    public async Task NewMail_OpensATicket_AnsweredInItsThread_RepliesThreadIn_AndTheAgentsAnswerArrivesInTheMailbox()
    {
        var (account, order, address) = await CustomerAsync();
        var first = CustomerMail(address, $"Заказ {order}: чайник с трещиной", "Чайник пришёл с трещиной на корпусе, прошу замену.");
        var multipart = new Multipart("mixed") { first.Body! };
        multipart.Add(new MimePart("image", "jpeg") { FileName = "трещина.jpg", Content = new MimeContent(new MemoryStream(s_jpeg)), ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) });
        multipart.Add(new MimePart("image", "jpeg") { FileName = "../../evil.jpg", Content = new MimeContent(new MemoryStream("MZ\x90\0not an image"u8.ToArray())), ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) });
        first.Body = multipart;
        await DeliverAndPollAsync(first);

        var tickets = await _desk.Agent().GetJsonAsync($"/api/v1/tickets?account_id={account}");
        var ticket = Assert.Single(tickets["items"]!.AsArray())!;
        Assert.Equal("email", ticket.Str("channel"));
        Assert.Equal(order, ticket.Str("order_number"));
        var ticketId = ticket.Str("ticket_id");
        var number = ticket.Str("number");
        // The photo is kept (by its bytes, under a generated name); the file that only claims to be a JPEG is not.
        var kept = Directory.GetFiles(Path.Combine(_desk.DataDirectory, "attachments"), "*", SearchOption.AllDirectories);
        Assert.Single(kept);
        Assert.EndsWith("1.jpg", kept[0], StringComparison.Ordinal);

        var answer = Assert.Single(await _mail.InboxAsync(address));
        Assert.Equal(first.MessageId, answer.InReplyTo);
        Assert.Contains(first.MessageId, answer.References);
        Assert.Contains(number, answer.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Re: ", answer.Subject, StringComparison.Ordinal);
        Assert.Equal("auto-replied", answer.Headers[HeaderId.AutoSubmitted]);
        Assert.Equal(MailServer.SupportAddress, answer.From.Mailboxes.Single().Address);
        Assert.Contains("принято", answer.TextBody, StringComparison.Ordinal);

        // The customer answers the desk's mail: threaded by In-Reply-To, the quoted history dropped.
        var reply = CustomerMail(address, answer.Subject!, "Прикладываю ещё фото упаковки.\n\n> Обращение принято\n> старый текст", replyTo: answer);
        await DeliverAndPollAsync(reply);
        var full = await _desk.Agent().GetJsonAsync($"/api/v1/tickets/{ticketId}");
        var texts = full["messages"]!.AsArray().Select(m => m!.Str("text")).ToList();
        Assert.Contains(texts, t => t.Contains("Прикладываю ещё фото упаковки", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("старый текст", StringComparison.Ordinal));
        Assert.Single((await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals"))["items"]!.AsArray());

        // The agent's answer goes out by SMTP in the same thread.
        await _desk.Agent().PostJsonAsync($"/api/v1/tickets/{ticketId}/messages", new { text = "Оформили замену, курьер приедет завтра." }, 201);
        var agentMail = Assert.Single(await _mail.InboxAsync(address, 1, m => m.TextBody?.Contains("Оформили замену", StringComparison.Ordinal) == true));
        Assert.Equal(reply.MessageId, agentMail.InReplyTo);
        Assert.Contains(first.MessageId, agentMail.References);
        Assert.Contains(reply.MessageId, agentMail.References);
        Assert.Contains(number, agentMail.Subject, StringComparison.Ordinal);
        Assert.Equal(number, agentMail.Headers[EmailSender.TicketHeader]);
        Assert.Null(agentMail.Headers[HeaderId.AutoSubmitted]); // a person wrote it

        // A new mail with only the ticket number in the subject also lands on the ticket.
        await DeliverAndPollAsync(CustomerMail(address, $"Вопрос по {number}", "Курьер не пришёл, когда ждать?"));
        full = await _desk.Agent().GetJsonAsync($"/api/v1/tickets/{ticketId}");
        Assert.Contains(full["messages"]!.AsArray(), m => m!.Str("text").Contains("Курьер не пришёл", StringComparison.Ordinal));
        Assert.Single((await _desk.Agent().GetJsonAsync($"/api/v1/tickets?account_id={account}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task AutoReplies_BulkMail_AndOurOwnMail_NeverOpenTickets_AndAMailReadTwiceCountsOnce()
    {
        var (account, order, address) = await CustomerAsync();
        var vacation = CustomerMail(address, "Я в отпуске", "Отвечу после 10 декабря.");
        vacation.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        var newsletter = CustomerMail(address, $"Скидки недели {order}", "Распродажа!");
        newsletter.Headers.Add(HeaderId.Precedence, "bulk");
        var list = CustomerMail(address, "Рассылка", "Новости");
        list.Headers.Add(HeaderId.ListId, "<news.example.test>");
        var own = CustomerMail(MailServer.SupportAddress, $"Re: Заказ {order}", "Наш собственный ответ вернулся");
        var real = CustomerMail(address, $"Заказ {order} не пришёл", "Заказ так и не доставили, прошу разобраться.");
        foreach (var m in new[] { vacation, newsletter, list, own, real })
        {
            await _mail.SendAsync(m);
        }
        foreach (var m in new[] { vacation, newsletter, list, own, real })
        {
            await _mail.WaitDeliveredAsync(m.MessageId!);
        }
        await PollAsync(); // the desk's own IDLE loop may take some of them first: only the effects count
        Assert.Single((await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals"))["items"]!.AsArray());
        Assert.Single(await _mail.InboxAsync(address));
        Assert.DoesNotContain(await _mail.ReadInboxAsync(MailServer.SupportAddress), m => m.InReplyTo == own.MessageId);

        // Read again (a second reader, or a crash before the mail was flagged): nothing new happens.
        await _mail.MarkAllUnseenAsync();
        await PollAsync();
        Assert.Single((await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals"))["items"]!.AsArray());
        Assert.Single((await _desk.Agent().GetJsonAsync($"/api/v1/tickets?account_id={account}"))["items"]!.AsArray());
        await Task.Delay(500);
        Assert.Single(await _mail.ReadInboxAsync(address));
    }

    [Fact]
    public async Task ASenderTheMailServerDidNotVouchFor_IsNotVerified()
    {
        var (account, order, address) = await CustomerAsync();
        var forged = CustomerMail(address, $"Заказ {order}", "Верните деньги на другую карту.", authenticated: false);
        forged.Headers.Add(HeaderId.AuthenticationResults, $"mx.attacker.example; dkim=pass header.d=example.test");
        await DeliverAndPollAsync(forged);
        var appeals = await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals");
        var appeal = Assert.Single(appeals["items"]!.AsArray())!;
        Assert.NotEqual("accepted", appeal.Str("outcome"));
        var held = await _desk.Agent().GetJsonAsync("/api/v1/appeals?held=true&rule=identity_verification");
        Assert.Contains(held["items"]!.AsArray(), a => a!.Str("appeal_id") == appeal.Str("appeal_id"));
        Assert.Empty((await _desk.Agent().GetJsonAsync($"/api/v1/tickets?account_id={account}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task MailPipedOverHttp_IsSigned_AndCountsOnce()
    {
        var (account, order, address) = await CustomerAsync();
        var message = CustomerMail(address, $"Заказ {order}: не тот цвет", "Пришёл чайник не того цвета, хочу обменять.");
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        var raw = stream.ToArray();
        async Task<HttpResponseMessage> PostAsync(string secret, string type = "message/rfc822")
        {
            var ts = _desk.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels/email/messages") { Content = new ByteArrayContent(raw) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            request.Headers.Add("X-Otklik-Timestamp", ts);
            request.Headers.Add("X-Otklik-Signature", WebhookSignature.Compute(secret, ts, raw));
            return await _desk.CreateClient().SendAsync(request);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("wrong-secret-wrong-secret")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync("email-webhook-secret-0001", "text/plain")).StatusCode);
        var first = await PostAsync("email-webhook-secret-0001");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("appeal", (await Api.BodyAsync(first)).Str("result"));
        var again = await Api.BodyAsync(await PostAsync("email-webhook-secret-0001"));
        Assert.Equal("already_done", again.Str("result"));
        Assert.Single((await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals"))["items"]!.AsArray());
        Assert.Single(await _mail.InboxAsync(address));
    }

    [Fact]
    public async Task TelegramThenEmail_AboutTheSameOrder_IsOneTicket_AndTheRateLimitCountsBoth()
    {
        await using var telegram = new TelegramBotApi();
        await telegram.StartAsync(_desk);
        var (account, order, address) = await CustomerAsync();
        var phone = "+7916" + Random.Shared.Next(1_000_000, 9_999_999);
        await _desk.Integration().PutAccountAsync(account, phone: phone, email: address);
        var user = Random.Shared.NextInt64(100_000_000, 900_000_000);
        await TelegramBotApi.PostUpdateAsync(_desk, telegram.Text(user, "/start"));
        await TelegramBotApi.PostUpdateAsync(_desk, telegram.Contact(user, phone));
        await TelegramBotApi.PostUpdateAsync(_desk, telegram.Button(user, "order:" + order));
        await TelegramBotApi.PostUpdateAsync(_desk, telegram.Button(user, "type:damaged_item"));
        await TelegramBotApi.PostUpdateAsync(_desk, telegram.Photo(user));
        await TelegramBotApi.PostUpdateAsync(_desk, telegram.Text(user, "Чайник пришёл с трещиной на корпусе, прошу замену"));
        Assert.Contains("принято", telegram.Last()["text"]!.GetValue<string>(), StringComparison.Ordinal);

        await DeliverAndPollAsync(CustomerMail(address, $"Заказ {order}", "Пишу ещё и почтой: корпус чайника треснул, жду замену."));
        var tickets = await _desk.Agent().GetJsonAsync($"/api/v1/tickets?account_id={account}");
        var ticket = Assert.Single(tickets["items"]!.AsArray())!;
        Assert.Equal("telegram", ticket.Str("channel"));

        // Burst 3 per requester across channels: one ticket from Telegram leaves two for e-mail, then the limit.
        foreach (var (what, i) in new[] { "не включается", "потерялась инструкция", "курьер нагрубил" }.Select((w, i) => (w, i)))
        {
            var other = "ORD-" + Random.Shared.Next(10_000_000, 99_999_999);
            await _desk.Integration().PutOrderAsync(other, account, "delivered", deliveredDaysAgo: 2);
            await DeliverAndPollAsync(CustomerMail(address, $"Заказ {other}", $"Другая проблема номер {i}: {what}."));
        }
        var outcomes = (await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals"))["items"]!.AsArray().Select(a => a!.Str("outcome")).Order().ToList();
        Assert.Equal(["accepted", "accepted", "accepted", "merged", "rejected"], outcomes);
        var rejected = (await _desk.Agent().GetJsonAsync($"/api/v1/accounts/{account}/appeals"))["items"]!.AsArray().Single(a => a!.Str("outcome") == "rejected")!;
        Assert.Contains("rate_limited", rejected.ToJsonString(), StringComparison.Ordinal);
    }
}
