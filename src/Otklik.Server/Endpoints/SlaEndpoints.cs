using System.Globalization;
using System.Security.Claims;
using Otklik.Application.Calendar;
using Otklik.Application.Documents;
using Otklik.Application.Sla;
using Otklik.Application.Tickets;
using Otklik.Core.Sla;
using Otklik.Server.Auth;
using Otklik.Server.Contracts;
using Otklik.Server.Problems;

namespace Otklik.Server.Endpoints;

/// <summary>SLA: the supervisor's view of tickets at risk, the production calendar, and claim documents.</summary>
public static class SlaEndpoints
{
    public static IEndpointRouteBuilder MapSlaEndpoints(this IEndpointRouteBuilder app)
    {
        var sla = app.MapGroup("/api/v1").WithTags("SLA");
        sla.MapGet("/sla/at-risk", AtRiskAsync).RequireAuthorization(Policies.AgentOrSupervisor).Produces<Page<TicketView>>();
        sla.MapPost("/sla/sweep", SweepAsync).RequireAuthorization(Roles.Supervisor);
        sla.MapGet("/calendar", GetCalendar).RequireAuthorization(Policies.AnyRole);
        sla.MapPut("/calendar/years/{year:int}", PutYearAsync).RequireAuthorization(Roles.Supervisor).Accepts<object>("application/json");
        sla.MapGet("/tickets/{ticketId}/documents/{kind}", GetDocumentAsync).RequireAuthorization(Policies.AnyRole)
            .Produces(200, contentType: "application/pdf").Produces(200, contentType: "text/html");
        return app;
    }

    private static async Task<IResult> AtRiskAsync(HttpRequest request, TicketQueries queries, Views views, TimeProvider time, CancellationToken ct)
    {
        var (limit, error) = Paging.Limit(request);
        if (error is not null)
        {
            return error;
        }
        var items = await queries.AtRiskAsync(time.GetUtcNow(), limit, ct);
        return TypedResults.Ok(new Page<TicketView>([.. items.Select(t => views.Ticket(t, withMessages: false))], null));
    }

    private static async Task<IResult> SweepAsync(SlaSweeper sweeper, CancellationToken ct) =>
        TypedResults.Ok(new { steps = await sweeper.RunOnceAsync(ct) });

    private static IResult GetCalendar(SlaClock clock) => TypedResults.Ok(new
    {
        time_zone = clock.TimeZone.Id,
        version = clock.Calendar.Version,
        first_year = clock.Calendar.FirstYear,
        last_day = clock.Calendar.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        years = clock.Calendar.Years.OrderBy(y => y.Year).Select(y => new
        {
            year = y.Year,
            decree = y.Decree,
            working_days = y.WorkingDays,
            weekday_days_off = y.WeekdayDaysOff.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            weekend_working_days = y.WeekendWorkingDays.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        }),
    });

    private static async Task<IResult> PutYearAsync(int year, HttpRequest request, ClaimsPrincipal user, CalendarService calendars, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<System.Text.Json.Nodes.JsonObject>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        try
        {
            var calendar = await calendars.LoadYearAsync(year, body.Value!.ToJsonString(), user.Identity?.Name ?? "supervisor", ct);
            return TypedResults.Ok(new { year, working_days = calendar.WorkingDaysIn(year), last_day = calendar.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        }
        catch (CalendarService.CalendarInvalidException ex)
        {
            return Problems.Problems.Validation("year", ex.Message);
        }
    }

    private static async Task<IResult> GetDocumentAsync(string ticketId, string kind, HttpRequest request, TicketQueries queries, ClaimDocumentBuilder builder, CancellationToken ct)
    {
        DocumentKind? documentKind = kind switch
        {
            "claim" => DocumentKind.Claim,
            "regulator-complaint" => DocumentKind.RegulatorComplaint,
            _ => null,
        };
        if (documentKind is null)
        {
            return Problems.Problems.NotFound("Document", kind);
        }
        var format = request.Query["format"].ToString() is { Length: > 0 } f ? f : "html";
        if (format is not ("html" or "pdf"))
        {
            return Problems.Problems.Validation("format", "pdf or html.");
        }
        var ticket = await queries.GetAsync(ticketId, ct);
        if (ticket is null)
        {
            return Problems.Problems.NotFound("Ticket", ticketId);
        }
        if (ticket.ClaimOfferedAt is null)
        {
            return Problems.Problems.Conflict("Claim documents are offered once the ticket is systematically unanswered (escalation ladder step 4 of sla.md); this one is not.");
        }
        var document = (await builder.BuildAsync(ticketId, documentKind.Value, ct))!;
        return format == "pdf"
            ? TypedResults.File(DocumentRenderer.Pdf(document), "application/pdf", document.FileName + ".pdf")
            : TypedResults.Content(DocumentRenderer.Html(document), "text/html; charset=utf-8");
    }
}
