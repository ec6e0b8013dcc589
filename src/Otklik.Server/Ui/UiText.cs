namespace Otklik.Server.Ui;

/// <summary>The interface's words in Russian (default) and English; the language is a cookie set by the switch.</summary>
public static class UiText
{
    public const string Cookie = "otklik.lang";

    private static readonly Dictionary<string, (string Ru, string En)> s_words = new(StringComparer.Ordinal)
    {
        ["portal"] = ("Поддержка", "Support"),
        ["workspace"] = ("Рабочее место", "Workspace"),
        ["login"] = ("Вход", "Log in"),
        ["logout"] = ("Выйти", "Log out"),
        ["phone"] = ("Номер телефона", "Phone number"),
        ["get_code"] = ("Получить код", "Get a code"),
        ["code"] = ("Код из SMS", "Code from the SMS"),
        ["enter"] = ("Войти", "Log in"),
        ["demo_code"] = ("Демо-режим: ваш код", "Demo mode: your code"),
        ["my_orders"] = ("Мои заказы", "My orders"),
        ["my_appeals"] = ("Мои обращения", "My appeals"),
        ["help_with_order"] = ("Помощь с заказом", "Help with order"),
        ["question_without_order"] = ("Вопрос без заказа", "A question without an order"),
        ["order"] = ("Заказ", "Order"),
        ["status"] = ("Статус", "Status"),
        ["price"] = ("Цена", "Price"),
        ["choose_problem"] = ("Что случилось?", "What happened?"),
        ["what_needed"] = ("Что понадобится", "What this needs"),
        ["photo_needed"] = ("Нужны фото или скриншоты.", "Photos or screenshots are needed."),
        ["order_fits"] = ("Заказ подходит для этого типа проблемы.", "The order fits this problem type."),
        ["order_not_fits"] = ("Заказ не подходит по сроку или статусу", "The order does not fit by date or status"),
        ["demand"] = ("Ваше требование", "Your demand"),
        ["no_demand"] = ("Без требования", "No demand"),
        ["days"] = ("дн.", "days"),
        ["article"] = ("ст.", "art."),
        ["text"] = ("Опишите, что случилось, когда и чего вы ждёте", "Describe what happened, when, and what you expect"),
        ["photos"] = ("Фото (JPEG, PNG, WebP, HEIC или PDF, до 10 МБ, не больше 5)", "Photos (JPEG, PNG, WebP, HEIC or PDF, up to 10 MB, at most 5)"),
        ["send"] = ("Отправить", "Send"),
        ["decision"] = ("Решение по обращению", "Decision on your appeal"),
        ["what_to_do"] = ("Что сделать", "What to do"),
        ["other_channels"] = ("Другие каналы", "Other channels"),
        ["ticket"] = ("Обращение", "Ticket"),
        ["answer_by"] = ("Ответим до", "We will answer by"),
        ["eta"] = ("Примем примерно к", "Expected around"),
        ["retry_at"] = ("Можно повторить после", "You can retry after"),
        ["conversation"] = ("Переписка", "Conversation"),
        ["write_more"] = ("Дописать в обращение", "Add to the appeal"),
        ["documents"] = ("Документы для защиты ваших прав", "Documents to defend your rights"),
        ["claim"] = ("Претензия маркетплейсу (PDF)", "Claim letter to the marketplace (PDF)"),
        ["complaint"] = ("Жалоба в Роспотребнадзор (PDF)", "Complaint to Rospotrebnadzor (PDF)"),
        ["queues"] = ("Очереди", "Queues"),
        ["review"] = ("На проверке", "Review"),
        ["search"] = ("Номер обращения, заказа или телефон", "Ticket number, order number or phone"),
        ["find"] = ("Найти", "Find"),
        ["due"] = ("Срок", "Due"),
        ["reply"] = ("Ответить клиенту", "Reply to the customer"),
        ["internal_note"] = ("Внутренняя заметка", "Internal note"),
        ["set_status"] = ("Сменить статус", "Change status"),
        ["override"] = ("Создать обращение", "Turn into a ticket"),
        ["reason"] = ("Причина", "Reason"),
        ["trace"] = ("Как решал шлюз", "How the gate decided"),
        ["customer_orders"] = ("Заказы клиента", "Customer's orders"),
        ["earlier_tickets"] = ("Прежние обращения", "Earlier tickets"),
        ["name"] = ("Имя", "Name"),
        ["password"] = ("Пароль", "Password"),
        ["nothing"] = ("Пусто.", "Nothing here."),
        ["breached"] = ("просрочено", "breached"),
        ["at_risk"] = ("скоро срок", "due soon"),
        ["legal"] = ("законный срок", "legal deadline"),
        ["penalty"] = ("неустойка", "penalty"),
        ["attach_more"] = ("Приложить фото", "Attach photos"),
        ["edit_text"] = ("Уточнить описание", "Edit the description"),
        ["pick_order"] = ("Выбрать заказ", "Pick an order"),
        ["confirm_phone"] = ("Подтвердить телефон", "Confirm the phone"),
        ["open_ticket"] = ("Открыть обращение", "Open the ticket"),
        ["outcome_accepted"] = ("Обращение принято", "Your appeal is accepted"),
        ["outcome_merged"] = ("Добавлено в открытое обращение", "Added to your open appeal"),
        ["outcome_reopened"] = ("Обращение открыто снова", "Your appeal is reopened"),
        ["outcome_deferred"] = ("Обращение сохранено и ждёт очереди", "Your appeal is saved and waiting"),
        ["outcome_needs_info"] = ("Нужно уточнение", "One thing is missing"),
        ["outcome_rejected"] = ("Обращение не принято автоматически", "Not accepted automatically"),
    };

    public static string Language(HttpContext context) =>
        context.Request.Cookies[Cookie] == "en" ? "en" : "ru";

    public static string T(HttpContext context, string key) =>
        s_words.TryGetValue(key, out var w) ? (Language(context) == "en" ? w.En : w.Ru) : key;
}
