using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Otklik.Application.Policy;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Sla;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Documents;

/// <summary>
/// Builds the claim letter (претензия) and the complaint to Rospotrebnadzor from a ticket: the facts
/// of the order, the legal basis, one concrete demand with its statutory term, and the timeline of
/// every appeal and decision as evidence that the consumer addressed the seller first.
/// </summary>
public sealed class ClaimDocumentBuilder(OtklikDbContext db, PolicyProvider policies, SlaClock clock, TimeProvider time)
{
    private static readonly CultureInfo s_ru = CultureInfo.GetCultureInfo("ru-RU");

    public sealed record TimelineEntry(DateTimeOffset At, string Text);

    /// <summary>
    /// The appeals a claim cites: the ticket's own, and — when it is about an order — every appeal the
    /// requester sent about that order and problem, answered or not. Each alternative has an index.
    /// </summary>
    public static IQueryable<Appeal> Evidence(IQueryable<Appeal> appeals, Ticket ticket)
    {
        var id = ticket.TicketId;
        if (ticket.OrderNumber is not { } order)
        {
            return appeals.OfTicket(id);
        }
        var (requester, type) = (ticket.RequesterKey, ticket.ProblemType);
        return appeals.Where(a => a.TicketId == id || a.AdmittedTicketId == id || (a.RequesterKey == requester && a.OrderNumber == order && a.ProblemType == type));
    }

    public async Task<ClaimDocument?> BuildAsync(string ticketId, DocumentKind kind, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.Messages).Include(t => t.Events).FirstOrDefaultAsync(t => t.TicketId == ticketId, ct);
        if (ticket is null)
        {
            return null;
        }
        var account = ticket.AccountId is null ? null : await db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == ticket.AccountId, ct);
        var order = ticket.OrderNumber is null ? null : await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Number == ticket.OrderNumber, ct);
        var appeals = await Evidence(db.Appeals.AsNoTracking(), ticket).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        var policy = policies.Current;
        var type = policy.FindProblemType(ticket.ProblemType);
        var now = time.GetUtcNow();
        var timeline = Timeline(ticket, appeals);

        var blocks = new List<DocumentBlock>();
        var name = account?.Name ?? "________________";
        var contacts = string.Join(", ", new[] { account?.Phone is { } p ? "тел. " + p : null, account?.Email is { } e ? "e-mail " + e : null }.Where(x => x is not null));
        var goods = order is null ? "" : Goods(order.ItemsJson);
        var problem = type?.Title.GetValueOrDefault("ru") ?? ticket.ProblemType;
        var firstText = ticket.Messages.Where(m => m.Author == MessageAuthor.Customer).OrderBy(m => m.At).FirstOrDefault()?.Text ?? "";
        var article = ticket.LegalArticle ?? type?.LegalBasis;
        var term = ticket.Demand is { } d ? policy.FindLegalTerm(d, ticket.ProblemType) : null;

        if (kind == DocumentKind.Claim)
        {
            blocks.Add(new(BlockKind.Paragraph, $"Кому: {policy.Profile.Operator}"));
            blocks.Add(new(BlockKind.Paragraph, $"От: {name}{(contacts.Length > 0 ? ", " + contacts : "")}"));
            blocks.Add(new(BlockKind.Title, "Претензия"));
        }
        else
        {
            blocks.Add(new(BlockKind.Paragraph, "В Управление Роспотребнадзора по субъекту Российской Федерации (подаётся через портал Госуслуг)"));
            blocks.Add(new(BlockKind.Paragraph, $"Заявитель: {name}{(contacts.Length > 0 ? ", " + contacts : "")}"));
            blocks.Add(new(BlockKind.Paragraph, $"Организация: {policy.Profile.Operator} (маркетплейс «{policy.Profile.Name}»)"));
            blocks.Add(new(BlockKind.Title, "Жалоба на нарушение прав потребителя"));
        }

        blocks.Add(new(BlockKind.Heading, "Обстоятельства"));
        if (order is not null)
        {
            var delivered = order.DeliveredAt is { } da ? $" Товар доставлен {Date(da)}." : " Товар не доставлен.";
            blocks.Add(new(BlockKind.Paragraph,
                $"{Date(order.CreatedAt)} я оформил(а) на маркетплейсе «{policy.Profile.Name}» заказ № {order.Number}: {goods}, стоимостью {Money(order.PriceRub)} руб.{delivered}"));
        }
        blocks.Add(new(BlockKind.Paragraph, $"Что случилось: {problem}. {firstText}"));
        var firstAppeal = appeals.FirstOrDefault();
        blocks.Add(new(BlockKind.Paragraph,
            $"Я обращался(ась) в службу поддержки {appeals.Count} раз(а), начиная с {(firstAppeal is null ? Date(ticket.CreatedAt) : Date(firstAppeal.ReceivedAt))} (обращение {ticket.Number}); " +
            $"ответа по существу в установленный срок не получено. Хронология обращений приведена ниже и в приложении."));

        blocks.Add(new(BlockKind.Heading, "Правовое основание"));
        blocks.Add(new(BlockKind.Paragraph, article is null
            ? "Закон РФ от 07.02.1992 № 2300-1 «О защите прав потребителей»."
            : $"Статья {article} Закона РФ от 07.02.1992 № 2300-1 «О защите прав потребителей»."));

        if (kind == DocumentKind.Claim)
        {
            blocks.Add(new(BlockKind.Heading, "Требование"));
            var demandText = DemandText(ticket.Demand, order?.PriceRub);
            blocks.Add(new(BlockKind.Paragraph, term is null
                ? $"Прошу {demandText}."
                : $"Прошу {demandText} в течение {term.Days} дней (ст. {term.Article} Закона «О защите прав потребителей»)" +
                  (ticket.LegalDeadline is { } ld ? $"; срок истекает {Date(ld)}." : ".")));
            var rate = ticket.PenaltyPercentPerDay > 0 ? ticket.PenaltyPercentPerDay : 1m;
            blocks.Add(new(BlockKind.Paragraph,
                $"В случае неудовлетворения требования в срок я обращусь в суд и потребую взыскать неустойку в размере {rate.ToString("0.###", s_ru)} % цены товара за каждый день просрочки (ст. 23 Закона), " +
                "компенсацию морального вреда (ст. 15 Закона) и штраф в размере 50 % от присуждённой суммы за несоблюдение в добровольном порядке требований потребителя (п. 6 ст. 13 Закона)."));
            if (ticket.PenaltyRub(clock.LocalDate, now) is { } penalty && penalty > 0)
            {
                blocks.Add(new(BlockKind.Paragraph, $"На {Date(now)} неустойка составляет {Money(penalty)} руб. и растёт ежедневно."));
            }
        }
        else
        {
            blocks.Add(new(BlockKind.Heading, "Прошу"));
            blocks.Add(new(BlockKind.Paragraph,
                "Провести проверку соблюдения организацией законодательства о защите прав потребителей по изложенным фактам и принять меры, " +
                "предусмотренные законом, в том числе выдать предписание об устранении нарушений."));
            blocks.Add(new(BlockKind.Paragraph,
                "Справочно: обращение подлежит регистрации в течение 3 дней и рассмотрению в течение 30 дней со дня регистрации (ст. 8 и 12 Федерального закона от 02.05.2006 № 59-ФЗ)."));
        }

        blocks.Add(new(BlockKind.Heading, "Хронология обращений"));
        foreach (var entry in timeline)
        {
            blocks.Add(new(BlockKind.Item, $"{DateTime(entry.At)} — {entry.Text}"));
        }

        blocks.Add(new(BlockKind.Heading, "Приложения"));
        var n = 1;
        if (order is not null)
        {
            blocks.Add(new(BlockKind.Item, $"{n++}. Подтверждение заказа № {order.Number} (копия чека)."));
        }
        foreach (var attachment in appeals.SelectMany(a => JsonSerializer.Deserialize<List<AttachmentInfo>>(a.AttachmentsJson, OtklikJson.Options) ?? []).DistinctBy(a => a.Name))
        {
            blocks.Add(new(BlockKind.Item, $"{n++}. {attachment.Name}."));
        }
        blocks.Add(new(BlockKind.Item, $"{n}. Хронология обращений в службу поддержки по обращению {ticket.Number}."));

        blocks.Add(new(BlockKind.Signature, $"Дата: {Date(now)}          Подпись: ____________ / {name} /"));
        var title = kind == DocumentKind.Claim ? "Претензия" : "Жалоба в Роспотребнадзор";
        var file = (kind == DocumentKind.Claim ? "claim-" : "regulator-complaint-") + ticket.Number;
        return new ClaimDocument(kind, title, file, blocks);
    }

    /// <summary>Every appeal with its decision, and every ladder step, in order.</summary>
    private List<TimelineEntry> Timeline(Ticket ticket, List<Appeal> appeals)
    {
        var entries = new List<TimelineEntry>();
        foreach (var a in appeals)
        {
            var decision = Appeals.AppealQueries.DecisionOf(a);
            var reasons = decision.Reasons.Count > 0 ? " (" + string.Join(", ", decision.Reasons.Select(r => WireName.Of(r.Code))) + ")" : "";
            var due = decision.FirstResponseDue is { } d ? $"; срок ответа до {DateTime(d)}" : "";
            var ticketRef = decision.Ticket is { } t ? $"; обращение {t.Number}" : "";
            entries.Add(new(a.ReceivedAt, $"обращение {a.AppealId} через канал {WireName.Of(a.Channel)}: решение {WireName.Of(a.Outcome)}{reasons}{ticketRef}{due}"));
        }
        foreach (var e in ticket.Events.OrderBy(e => e.At))
        {
            var text = e.Kind switch
            {
                TicketEventKind.FirstResponseWarning => "использовано 80 % срока первого ответа",
                TicketEventKind.FirstResponseBreached => "нарушен срок первого ответа; обращение передано старшим специалистам",
                TicketEventKind.LegalQueue => "до истечения законного срока менее 2 дней" + (ticket.LegalDeadline is { } ld ? $" (срок — {DateTime(ld)})" : ""),
                TicketEventKind.SystematicallyUnanswered => "обращения систематически остаются без ответа (" + e.Detail + ")",
                TicketEventKind.Reopened => "обращение открыто повторно (" + e.Detail + ")",
                _ => "статус: " + e.Detail,
            };
            entries.Add(new(e.At, text));
        }
        foreach (var m in ticket.Messages.Where(m => m.Author == MessageAuthor.Agent && !m.Internal))
        {
            entries.Add(new(m.At, "ответ сотрудника поддержки"));
        }
        return [.. entries.OrderBy(e => e.At)];
    }

    private static string DemandText(Demand? demand, decimal? price) => demand switch
    {
        Demand.Refund => price is { } p ? $"вернуть уплаченную за товар сумму {Money(p)} руб." : "вернуть уплаченную за товар сумму",
        Demand.Replacement => "заменить товар на товар этой же марки (модели и (или) артикула) надлежащего качества",
        Demand.Repair => "безвозмездно устранить недостатки товара",
        Demand.PriceReduction => "соразмерно уменьшить покупную цену товара",
        Demand.Exchange => "обменять товар на аналогичный",
        Demand.Information => "предоставить полную информацию по моему заказу и обращению",
        _ => "рассмотреть моё обращение по существу и дать письменный ответ",
    };

    private static string Goods(string itemsJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(itemsJson);
            var titles = doc.RootElement.EnumerateArray()
                .Select(i => i.TryGetProperty("title", out var t) ? t.GetString() : null)
                .Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            return titles.Count == 0 ? "товар" : string.Join(", ", titles);
        }
        catch (JsonException)
        {
            return "товар";
        }
    }

    private string Date(DateTimeOffset at) => clock.ToLocal(at).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private string DateTime(DateTimeOffset at) => clock.ToLocal(at).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("#,0.00", s_ru);
}
