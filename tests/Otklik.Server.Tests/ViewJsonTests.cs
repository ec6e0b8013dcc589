using System.Net;
using System.Text.Json;
using Otklik.Application;
using Otklik.Server.Contracts;

namespace Otklik.Server.Tests;

/// <summary>The decision answer written by its generated serializer is the one the HTTP JSON options would write.</summary>
public sealed class ViewJsonTests(OtklikFactory factory) : IClassFixture<OtklikFactory>
{
    private static readonly DateTimeOffset s_at = new(2026, 11, 27, 9, 30, 0, TimeSpan.FromHours(3));

    public static TheoryData<string> Views => ["full", "minimal"];

    private static DecisionView View(string kind) => kind == "minimal"
        ? new DecisionView { AppealId = "ap_1", Outcome = "rejected", PolicyVersion = "v", Reasons = [], Remediation = [], Alternatives = [], Language = "en" }
        : new DecisionView
        {
            AppealId = "ap_01JDX",
            Outcome = "needs_info",
            PolicyVersion = "2026-11-25.1",
            Reasons = [new ReasonView("data_mismatch", "Телефон «+7 916…» не совпадает <b>&\"'</b>\n\t\\ 😀")],
            Remediation =
            [
                new RemediationView
                {
                    Action = "choose_order",
                    Message = "Выберите заказ",
                    Orders = [new OrderChoiceView("38211574-0012", "delivered", s_at)],
                    Tickets = [new TicketRefView("t_1", "T-000001", "open", "buyers", "P2")],
                    At = s_at,
                },
                new RemediationView { Action = "link_phone", Message = "…", Field = "phone", Channel = "telegram", Address = "@otklik_bot" },
            ],
            Alternatives = [new AlternativeView("phone", "8-800-234-55-66", "24/7", "Позвоните нам")],
            RetryAfterSeconds = 3600,
            Eta = s_at.AddDays(2),
            Ticket = new TicketRefView("t_2", "T-000002", "pending", "sellers", "P1"),
            FirstResponseDue = s_at.AddMinutes(30),
            Language = "ru",
            AdmittedTicket = new TicketRefView("t_3", "T-000003", "open", "buyers", "P3"),
            ReceivedAt = s_at.AddMinutes(-1),
            Channel = "app",
            ProblemType = "damaged_item",
            Override = new OverrideView(s_at, "agent-1", "Клиент прав"),
        };

    [Theory]
    [MemberData(nameof(Views))]
    public void TheGeneratedWriter_WritesTheDecisionExactlyAsTheHttpJsonOptionsWould(string kind)
    {
        Assert.NotNull(ViewJsonContext.Default.DecisionView.SerializeHandler); // else WriteGenerated refuses it
        var view = View(kind);

        var generated = OtklikJson.WriteGenerated(view, ViewJsonContext.Default.DecisionView, 0, static (utf8, _) => utf8.ToArray());

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(view, OtklikJson.Options), generated);
    }

    [Fact]
    public void TheThreadsBuffer_IsReused_SoEachDocumentIsWholeAndAlone()
    {
        var full = OtklikJson.WriteGenerated(View("full"), ViewJsonContext.Default.DecisionView, 0, static (utf8, _) => utf8.ToArray());
        var minimal = OtklikJson.WriteGenerated(View("minimal"), ViewJsonContext.Default.DecisionView, 0, static (utf8, _) => utf8.ToArray());

        Assert.True(minimal.Length < full.Length / 4);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(View("minimal"), OtklikJson.Options), minimal);
    }

    [Fact]
    public async Task AnAppealsAnswer_GoesOutWithItsLength_AsJson()
    {
        var client = factory.Integration();
        var account = Api.NewId("a");
        await client.PutAccountAsync(account);

        var (response, body) = await client.PostAppealAsync(Api.Appeal(account, null, "other", "Не приходит код подтверждения на телефон"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.False(response.Headers.TransferEncodingChunked ?? false);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"/api/v1/appeals/{body.Str("appeal_id")}", response.Headers.Location!.ToString());
        Assert.Equal("null", body.Str("retry_after_seconds")); // nulls are written, as api.md shows them
    }
}
