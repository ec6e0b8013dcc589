using System.Globalization;
using System.Text;
using global::Telegram.Bot;
using global::Telegram.Bot.Types;
using global::Telegram.Bot.Types.ReplyMarkups;
using Otklik.Application.Appeals;
using Otklik.Application.Channels;
using Otklik.Application.Directory;
using Otklik.Application.Policy;
using Otklik.Application.Portal;
using Otklik.Channels.Abstractions;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Core.Text;
using Otklik.Core.Tickets;

namespace Otklik.Channels.Telegram;

/// <summary>
/// The Telegram bot's conversation: start → share contact (Telegram verifies the user's own phone) →
/// pick one of the requester's orders → pick the problem type → text and photos → the decision, with
/// buttons for the remediation. Every text sent becomes an appeal through the gate (an unknown user's
/// too: stored and held for verification); the update id is its idempotency key.
/// </summary>
public sealed class TelegramBot(ITelegramBotClient bot, TelegramConversations conversations, AppealIntake intake, CustomerPortal portal,
    DirectoryCommands directory, AttachmentStore store, PolicyProvider policies, DecisionText decisionText, TimeProvider time) : IChannelSender
{
    public const string ClientName = "telegram";

    public Channel Channel => Channel.Telegram;

    public async Task HandleAsync(Update update, CancellationToken ct)
    {
        if (!conversations.FirstTime(update.Id))
        {
            return;
        }
        if (update.CallbackQuery is { From: { } who, Data: { } data } query)
        {
            await bot.AnswerCallbackQuery(query.Id, cancellationToken: ct);
            await OnButtonAsync(who.Id, query.Message?.Chat.Id ?? who.Id, data, ct);
            return;
        }
        if (update.Message is not { From: { } from } message)
        {
            return;
        }
        var chat = message.Chat.Id;
        if (message.Contact is { } contact)
        {
            await OnContactAsync(from.Id, chat, contact, ct);
            return;
        }
        var account = await portal.LinkedAccountAsync(IdentityKind.Telegram, Id(from.Id), ct);
        if (message.Text is "/start")
        {
            conversations.Reset(from.Id);
            await (account is null ? AskContactAsync(chat, ct) : AskOrderAsync(chat, account.AccountId, ct));
            return;
        }
        var state = conversations.For(from.Id);
        if (message.Photo is { Length: > 0 } photos)
        {
            await SavePhotoAsync(update.Id, photos[^1], state, ct);
            if (string.IsNullOrWhiteSpace(message.Caption))
            {
                await bot.SendMessage(chat, "Фото получено. Опишите, что случилось, — или пришлите ещё фото.", cancellationToken: ct);
                return;
            }
        }
        var text = message.Text ?? message.Caption;
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        await SubmitAsync(update.Id, from.Id, chat, account, state, text.Trim(), ct);
    }

    /// <summary>Agent replies on Telegram tickets go to the Telegram ids linked to the ticket's account.</summary>
    public async Task<bool> DeliverAsync(Ticket ticket, string text, CancellationToken ct)
    {
        var chats = ticket.AccountId is { } accountId ? await portal.IdentitiesAsync(accountId, IdentityKind.Telegram, ct) : [];
        if (ticket.RequesterKey.StartsWith("telegram:", StringComparison.Ordinal))
        {
            chats.Add(ticket.RequesterKey["telegram:".Length..]);
        }
        var delivered = false;
        foreach (var chat in chats.Distinct())
        {
            if (long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                await bot.SendMessage(id, $"{ticket.Number}: {text}", cancellationToken: ct);
                delivered = true;
            }
        }
        return delivered;
    }

    private async Task OnContactAsync(long userId, long chat, Contact contact, CancellationToken ct)
    {
        // Telegram vouches for the phone only when users share their own contact.
        if (contact.UserId != userId)
        {
            await bot.SendMessage(chat, "Поделитесь, пожалуйста, своим контактом — кнопкой ниже.", replyMarkup: ContactKeyboard(), cancellationToken: ct);
            return;
        }
        var phone = PhoneNumber.Normalize(contact.PhoneNumber);
        var account = await portal.FindByPhoneAsync(phone, ct) ?? await portal.FindByAnyPhoneAsync(phone, ct);
        if (account is null)
        {
            await bot.SendMessage(chat, $"Аккаунт с этим номером не найден. Горячая линия: {policies.Current.Profile.BuyerHotline}, круглосуточно.", replyMarkup: new ReplyKeyboardRemove(), cancellationToken: ct);
            return;
        }
        await directory.LinkIdentityAsync(IdentityKind.Telegram, Id(userId), account.AccountId, verified: true, ct);
        await directory.ConfirmAccountPhoneAsync(account.AccountId, ct);
        await bot.SendMessage(chat, "Спасибо, номер подтверждён.", replyMarkup: new ReplyKeyboardRemove(), cancellationToken: ct);
        await AskOrderAsync(chat, account.AccountId, ct);
    }

    private async Task OnButtonAsync(long userId, long chat, string data, CancellationToken ct)
    {
        var state = conversations.For(userId);
        var account = await portal.LinkedAccountAsync(IdentityKind.Telegram, Id(userId), ct);
        if (account is null)
        {
            await AskContactAsync(chat, ct);
            return;
        }
        if (data == "hotline")
        {
            var profile = policies.Current.Profile;
            await bot.SendMessage(chat, $"Горячая линия {(account.Role == RequesterRole.Seller ? profile.SellerHotline : profile.BuyerHotline)}, {profile.HotlineHours}.", cancellationToken: ct);
        }
        else if (data.StartsWith("order:", StringComparison.Ordinal))
        {
            state.OrderNumber = data[6..] is "-" or "" ? null : data[6..];
            state.ProblemType = null;
            var types = portal.TypesFor(account.Role, state.OrderNumber is not null);
            var rows = types.Select(t => new[] { InlineKeyboardButton.WithCallbackData(t.Title.GetValueOrDefault("ru") ?? t.Code, "type:" + t.Code) });
            await bot.SendMessage(chat, "Что случилось?", replyMarkup: new InlineKeyboardMarkup(rows), cancellationToken: ct);
        }
        else if (data.StartsWith("type:", StringComparison.Ordinal) && policies.Current.FindProblemType(data[5..]) is { } type)
        {
            state.ProblemType = type.Code;
            var hint = type.Evidence ? " Приложите фото — без него не разобраться." : "";
            await bot.SendMessage(chat, "Опишите, что случилось, когда и чего вы ждёте." + hint, cancellationToken: ct);
        }
    }

    private async Task SubmitAsync(int updateId, long userId, long chat, Requester? account, TelegramConversations.State state, string text, CancellationToken ct)
    {
        var request = new AppealRequest(Channel.Telegram, RequesterAddress.ForIdentity(IdentityKind.Telegram, Id(userId)), account?.Role ?? RequesterRole.Buyer,
            state.OrderNumber, state.ProblemType ?? "other", null, text.Length > AppealRequest.MaxTextLength ? text[..AppealRequest.MaxTextLength] : text,
            [.. state.Photos], ClaimedData.None, time.GetUtcNow());
        var key = "update:" + updateId.ToString(CultureInfo.InvariantCulture);
        var result = await intake.SubmitAsync(new AppealSubmission(request, ClientName, key, key, JsonText.EmptyObject, RoleGiven: account is not null), ct);
        if (result.Status != IntakeStatus.Created)
        {
            return;
        }
        var decision = result.Decision!;
        state.Photos.Clear();
        await bot.SendMessage(chat, Describe(decision, account is null), replyMarkup: Buttons(decision, state), cancellationToken: ct);
        if (account is null)
        {
            await AskContactAsync(chat, ct);
        }
    }

    private async Task SavePhotoAsync(int updateId, PhotoSize photo, TelegramConversations.State state, CancellationToken ct)
    {
        if (photo.FileSize > AttachmentStore.MaxBytes || state.Photos.Count >= AttachmentStore.MaxFiles)
        {
            return;
        }
        var file = await bot.GetFile(photo.FileId, ct);
        using var buffer = new MemoryStream();
        await ((TelegramBotClient)bot).DownloadFile(file, buffer, ct);
        var bytes = buffer.ToArray();
        if (bytes.Length > AttachmentStore.MaxBytes || AttachmentStore.Sniff(bytes.AsSpan(0, Math.Min(16, bytes.Length))) is not { } type)
        {
            return;
        }
        var stored = await store.SaveAsync("tg" + updateId.ToString(CultureInfo.InvariantCulture), state.Photos.Count + 1, "photo.jpg", bytes, type, ct);
        state.Photos.Add(new AttachmentInfo(stored.Name, stored.ContentType, stored.Size));
    }

    private async Task AskContactAsync(long chat, CancellationToken ct) =>
        await bot.SendMessage(chat, "Чтобы мы узнали вас, поделитесь контактом — номером из профиля маркетплейса.", replyMarkup: ContactKeyboard(), cancellationToken: ct);

    private async Task AskOrderAsync(long chat, string accountId, CancellationToken ct)
    {
        var orders = await portal.OrdersAsync(accountId, ct);
        var rows = orders.Take(8).Select(o => new[] { InlineKeyboardButton.WithCallbackData($"{o.Number} · {WireName.Of(o.Status)}", "order:" + o.Number) }).ToList();
        rows.Add([InlineKeyboardButton.WithCallbackData("Вопрос без заказа", "order:-")]);
        await bot.SendMessage(chat, "Выберите заказ:", replyMarkup: new InlineKeyboardMarkup(rows), cancellationToken: ct);
    }

    private static ReplyKeyboardMarkup ContactKeyboard() =>
        new([[KeyboardButton.WithRequestContact("Поделиться контактом")]]) { ResizeKeyboard = true, OneTimeKeyboard = true };

    private string Describe(Decision decision, bool unlinked) =>
        decisionText.Render(decision, unlinked ? "Поделитесь контактом, чтобы мы узнали вас." : null);

    private InlineKeyboardMarkup? Buttons(Decision decision, TelegramConversations.State state)
    {
        var rows = new List<InlineKeyboardButton[]>();
        foreach (var r in decision.Remediation)
        {
            switch (r.Action)
            {
                case RemediationAction.AttachEvidence:
                case RemediationAction.DescribeClearly:
                    rows.Add([InlineKeyboardButton.WithCallbackData(r.Action == RemediationAction.AttachEvidence ? "Приложить фото" : "Описать подробнее", "type:" + (state.ProblemType ?? "other"))]);
                    break;
                case RemediationAction.ChooseOrder:
                    rows.AddRange((r.Orders ?? []).Take(6).Select(o => new[] { InlineKeyboardButton.WithCallbackData(o.Number, "order:" + o.Number) }));
                    break;
                case RemediationAction.UseChannel when r.Channel == Channel.Phone:
                    rows.Add([InlineKeyboardButton.WithCallbackData("Горячая линия", "hotline")]);
                    break;
            }
        }
        return rows.Count == 0 ? null : new InlineKeyboardMarkup(rows);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
