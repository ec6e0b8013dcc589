using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Otklik.Application.Appeals;
using Otklik.Application.Channels;
using Otklik.Application.Directory;
using Otklik.Application.Policy;
using Otklik.Application.Portal;
using Otklik.Channels.Abstractions;
using Otklik.Core.Appeals;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Core.Text;
using Otklik.Core.Tickets;

namespace Otklik.Channels.Vk;

/// <summary>
/// The VK community bot. A linked, verified VK user's message is an appeal through the gate, answered
/// with the decision and buttons. An unknown user's message is stored and held for verification like
/// any other, and the bot links the VK id once: the customer sends the phone of their account, gets a
/// one-time code on it, and sends the code back. The event id is the idempotency key.
/// </summary>
public sealed class VkInbound(AppealIntake intake, CustomerPortal portal, DirectoryCommands directory, OneTimeCodes codes, IOneTimeCodeSender codeSender,
    VkApiClient vk, PolicyProvider policies, DecisionText decisionText, TimeProvider time, VkLinking linking) : IChannelSender
{
    public const string ClientName = "vk";

    public Channel Channel => Channel.Vk;

    public async Task HandleMessageAsync(string eventId, long fromId, long peerId, string text, string requestHash, JsonText requestJson, CancellationToken ct)
    {
        var vkId = fromId.ToString(CultureInfo.InvariantCulture);
        var account = await portal.LinkedAccountAsync(IdentityKind.Vk, vkId, ct);
        var trimmed = text.Trim();
        if (account is null && await LinkStepAsync(vkId, peerId, trimmed, ct))
        {
            return;
        }
        var request = new AppealRequest(Channel.Vk, RequesterAddress.ForIdentity(IdentityKind.Vk, vkId), account?.Role ?? RequesterRole.Buyer, null, "other", null,
            trimmed.Length > AppealRequest.MaxTextLength ? trimmed[..AppealRequest.MaxTextLength] : trimmed, [], ClaimedData.None, time.GetUtcNow());
        var result = await intake.SubmitAsync(new AppealSubmission(request, ClientName, "event:" + eventId, requestHash, requestJson, RoleGiven: account is not null), ct);
        if (result.Status != IntakeStatus.Created)
        {
            return; // a retried callback: the customer was answered the first time
        }
        var (reply, buttons) = Describe(result.Decision!, account is null);
        await vk.SendAsync(peerId, reply, buttons, ct);
    }

    /// <summary>Agent replies on VK tickets go to the VK ids linked to the ticket's account.</summary>
    public async Task<bool> DeliverAsync(Ticket ticket, string text, CancellationToken ct)
    {
        var peers = ticket.AccountId is { } accountId ? await portal.IdentitiesAsync(accountId, IdentityKind.Vk, ct) : [];
        if (ticket.RequesterKey.StartsWith("vk:", StringComparison.Ordinal))
        {
            peers.Add(ticket.RequesterKey[3..]);
        }
        var delivered = false;
        foreach (var peer in peers.Distinct())
        {
            if (long.TryParse(peer, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                delivered |= await vk.SendAsync(id, $"{ticket.Number}: {text}", [], ct);
            }
        }
        return delivered;
    }

    private async Task<bool> LinkStepAsync(string vkId, long peerId, string text, CancellationToken ct)
    {
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (digits.Length == 6 && text.Length <= 12 && linking.PendingPhone(vkId) is { } phone)
        {
            if (codes.Check(phone, digits) == OneTimeCodes.CheckResult.Valid && await portal.FindByPhoneAsync(phone, ct) is { } owner)
            {
                await directory.LinkIdentityAsync(IdentityKind.Vk, vkId, owner.AccountId, verified: true, ct);
                await directory.ConfirmAccountPhoneAsync(owner.AccountId, ct);
                linking.Done(vkId);
                await vk.SendAsync(peerId, "Готово: ВКонтакте привязан к вашему аккаунту. Опишите, что случилось, — мы примем обращение.", [], ct);
            }
            else
            {
                await vk.SendAsync(peerId, "Код не подошёл. Проверьте его или пришлите номер телефона ещё раз, чтобы получить новый.", [], ct);
            }
            return true;
        }
        if (digits.Length is >= 10 and <= 12 && text.Length <= 20 && !text.Any(char.IsLetter))
        {
            var normalized = PhoneNumber.Normalize(text);
            // The same answer whether or not an account has this phone: the bot reveals nothing.
            if (await portal.FindByPhoneAsync(normalized, ct) is not null && codes.Issue(normalized) is (OneTimeCodes.IssueResult.Issued, { } code, _))
            {
                await codeSender.SendAsync(normalized, code, ct);
                linking.Start(vkId, normalized);
            }
            await vk.SendAsync(peerId, $"Если номер {PhoneNumber.Mask(normalized)} указан в вашем аккаунте, на него пришёл код. Пришлите его сюда.", [], ct);
            return true;
        }
        return false;
    }

    private (string Text, IReadOnlyList<string> Buttons) Describe(Decision decision, bool unlinked)
    {
        var text = decisionText.Render(decision, unlinked ? "Чтобы мы узнали вас, пришлите номер телефона из профиля маркетплейса — придёт код для привязки." : null);
        var buttons = new List<string>();
        if (decision.Remediation.Any(r => r.Action == RemediationAction.ChooseOrder))
        {
            buttons.Add("Выбрать заказ");
        }
        if (decision.Remediation.Any(r => r.Action == RemediationAction.AttachEvidence))
        {
            buttons.Add("Приложить фото");
        }
        buttons.Add("Позвонить: " + policies.Current.Profile.BuyerHotline);
        return (text, buttons);
    }
}

/// <summary>VK users half-way through linking (sent their phone, not yet the code). In process; codes expire in 5 minutes.</summary>
public sealed class VkLinking
{
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);

    public void Start(string vkId, string phone) => _pending[vkId] = phone;

    public string? PendingPhone(string vkId) => _pending.GetValueOrDefault(vkId);

    public void Done(string vkId) => _pending.TryRemove(vkId, out _);
}
