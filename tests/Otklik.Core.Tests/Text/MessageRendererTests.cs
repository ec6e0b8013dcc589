using Otklik.Core.Appeals;
using Otklik.Core.Policy;
using Otklik.Core.Tests.Gate;
using Otklik.Core.Tickets;

namespace Otklik.Core.Tests.Text;

/// <summary>The policy's texts with their placeholders filled in, in the desk's time zone.</summary>
public sealed class MessageRendererTests
{
    private static readonly TimeZoneInfo s_moscow = TimeZoneInfo.CreateCustomTimeZone("MSK", TimeSpan.FromHours(3), "MSK", "MSK");
    private static readonly DateTimeOffset s_at = new(2026, 11, 27, 6, 5, 0, TimeSpan.Zero); // 09:05 in Moscow

    private static MessageRenderer Renderer(string reasonTemplate, string remediationTemplate) => new(
        TestPolicy.Default with
        {
            Texts = new Dictionary<string, LanguageTexts>
            {
                ["ru"] = new()
                {
                    Reasons = new Dictionary<string, string> { ["data_mismatch"] = reasonTemplate, ["field_phone"] = "телефон" },
                    Remediation = new Dictionary<string, string> { ["choose_order"] = remediationTemplate },
                },
            },
        },
        "ru",
        s_moscow);

    private static readonly Decision s_decision = new()
    {
        Outcome = Outcome.NeedsInfo,
        PolicyVersion = "v",
        RetryAt = s_at.AddHours(1),
        Eta = s_at.AddDays(1),
        FirstResponseDue = s_at.AddDays(2),
        Ticket = new TicketRef("t_1", "T-000001", TicketStatus.Open, Queue.Buyers, PriorityClass.P2),
    };

    [Theory]
    [InlineData("Без подстановок", "Без подстановок")]
    [InlineData("Поле {detail} не совпадает", "Поле phone не совпадает")]
    [InlineData("{retry_at}|{eta}|{due}|{ticket}", "27.11.2026 10:05|28.11.2026 09:05|29.11.2026 09:05|T-000001")]
    [InlineData("{unknown} и {detail}", "{unknown} и phone")]
    [InlineData("{{detail}}", "{phone}")]
    [InlineData("{detail", "{detail")]
    [InlineData("} {detail} {", "} phone {")]
    [InlineData("{}{detail}{}", "{}phone{}")]
    public void AReason_HasItsPlaceholdersFilled_AndUnknownOnesLeftVisible(string template, string expected)
    {
        Assert.Equal(expected, Renderer(template, "").Reason(new DecisionReason(ReasonCode.DataMismatch, "phone"), s_decision));
    }

    [Fact]
    public void ARemediation_TakesItsOwnOrdersTicketsFieldAndTime_BeforeTheDecisions()
    {
        var item = new DecisionRemediation(RemediationAction.ChooseOrder)
        {
            Orders = [new OrderChoice("o-1", "delivered", s_at), new OrderChoice("o-2", "shipped", s_at)],
            Tickets = [new TicketRef("t_9", "T-000009", TicketStatus.Solved, Queue.Buyers, PriorityClass.P3)],
            Field = "phone",
            At = s_at.AddMinutes(30),
            Channel = Channel.Telegram,
            Address = "@otklik_bot",
        };

        var text = Renderer("", "{orders}; {ticket}; {field}; {retry_at}; {channel} {address}").Remediation(item, s_decision);

        Assert.Equal("o-1, o-2; T-000009; телефон; 27.11.2026 09:35; telegram @otklik_bot", text);
    }

    [Fact]
    public void AValuePutIn_IsNotSearchedForPlaceholdersAgain()
    {
        Assert.Equal("клиент написал {due}", Renderer("клиент написал {detail}", "").Reason(new DecisionReason(ReasonCode.DataMismatch, "{due}"), s_decision));
    }

    [Fact]
    public void AnAlternative_IsRenderedOnce_ForItsTemplateAddressAndHours()
    {
        var texts = new LanguageTexts { Alternatives = new Dictionary<string, string> { ["phone"] = "Позвоните: {address} ({hours})" } };
        var renderer = new MessageRenderer(TestPolicy.Default with { Texts = new Dictionary<string, LanguageTexts> { ["ru"] = texts } }, "ru", s_moscow);
        var other = new MessageRenderer(TestPolicy.Default with
        {
            Texts = new Dictionary<string, LanguageTexts> { ["ru"] = new() { Alternatives = new Dictionary<string, string> { ["phone"] = "Телефон {address}, {hours}" } } },
        }, "ru", s_moscow);

        var first = renderer.Alternative(new DecisionAlternative(Channel.Phone, "8-800-234-55-66", "24/7"));
        var again = renderer.Alternative(new DecisionAlternative(Channel.Phone, "8-800-234-55-66", "24/7"));
        var otherHours = renderer.Alternative(new DecisionAlternative(Channel.Phone, "8-800-234-55-66", "9–21"));
        var otherTemplate = other.Alternative(new DecisionAlternative(Channel.Phone, "8-800-234-55-66", "24/7"));

        Assert.Equal("Позвоните: 8-800-234-55-66 (24/7)", first);
        Assert.Same(first, again);
        Assert.Equal("Позвоните: 8-800-234-55-66 (9–21)", otherHours);
        Assert.Equal("Телефон 8-800-234-55-66, 24/7", otherTemplate);
        Assert.Equal("@otklik_bot", renderer.Alternative(new DecisionAlternative(Channel.Telegram, "@otklik_bot", "24/7"))); // no text: the address
    }
}
