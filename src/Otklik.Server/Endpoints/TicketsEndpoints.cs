using System.Security.Claims;
using Otklik.Application.Appeals;
using Otklik.Application.Tickets;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Tickets;
using Otklik.Server.Auth;
using Otklik.Server.Contracts;
using Otklik.Server.Problems;

namespace Otklik.Server.Endpoints;

/// <summary>Tickets for agents and supervisors; integrations may read.</summary>
public static class TicketsEndpoints
{
    public static IEndpointRouteBuilder MapTicketsEndpoints(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/v1/tickets").WithTags("Tickets");
        tickets.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole).Produces<Page<TicketView>>();
        tickets.MapGet("/{ticketId}", GetAsync).RequireAuthorization(Policies.AnyRole).Produces<TicketView>();
        tickets.MapPost("/{ticketId}/messages", AddMessageAsync).RequireAuthorization(Policies.AgentOrSupervisor).Accepts<MessageBody>("application/json").Produces<TicketView>(201);
        tickets.MapPost("/{ticketId}/merge", MergeAsync).RequireAuthorization(Policies.AgentOrSupervisor).Accepts<MergeBody>("application/json").Produces<TicketView>();
        tickets.MapPost("/{ticketId}/assignment", ReassignAsync).RequireAuthorization(Policies.AgentOrSupervisor).Accepts<AssignmentBody>("application/json").Produces<TicketView>();
        tickets.MapPost("/{ticketId}/status", ChangeStatusAsync).RequireAuthorization(Policies.AgentOrSupervisor).Accepts<StatusBody>("application/json").Produces<TicketView>();
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, TicketQueries queries, Views views, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        Queue? queue = null;
        TicketStatus? status = null;
        if (request.Query["queue"].ToString() is { Length: > 0 } q)
        {
            if (WireName.TryParse<Queue>(q, out var parsed)) queue = parsed;
            else errors.Add("queue", "One of " + string.Join(", ", WireName.All<Queue>()) + ".");
        }
        if (request.Query["status"].ToString() is { Length: > 0 } s)
        {
            if (WireName.TryParse<TicketStatus>(s, out var parsed)) status = parsed;
            else errors.Add("status", "One of " + string.Join(", ", WireName.All<TicketStatus>()) + ".");
        }
        var account = request.Query["account_id"].ToString() is { Length: > 0 } a ? a : null;
        var (limit, limitError) = Paging.Limit(request);
        if (limitError is not null)
        {
            return limitError;
        }
        long? before = null;
        if (request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (Paging.Decode(cursor) is { } raw && long.TryParse(raw, out var seq) && seq > 0) before = seq;
            else errors.Add("cursor", "Not a cursor returned by this list.");
        }
        if (errors.Any)
        {
            return errors.ToResult();
        }
        var (items, next) = await queries.ListAsync(queue, status, account, before, limit, ct);
        return TypedResults.Ok(new Page<TicketView>([.. items.Select(t => views.Ticket(t, withMessages: false))], next is { } n ? Paging.Encode(n.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null));
    }

    private static async Task<IResult> GetAsync(string ticketId, TicketQueries queries, Views views, CancellationToken ct)
    {
        var ticket = await queries.GetAsync(ticketId, ct);
        return ticket is null ? Problems.Problems.NotFound("Ticket", ticketId) : TypedResults.Ok(views.Ticket(ticket, withMessages: true));
    }

    private static async Task<IResult> AddMessageAsync(string ticketId, HttpRequest request, ClaimsPrincipal user, TicketCommands commands, Views views, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<MessageBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (string.IsNullOrWhiteSpace(body.Value!.Text) || body.Value.Text.Length > AppealRequest.MaxTextLength)
        {
            return Problems.Problems.Validation("text", $"Required, at most {AppealRequest.MaxTextLength} characters.");
        }
        var ticket = await commands.AddMessageAsync(ticketId, body.Value.Text, body.Value.Internal ?? false, user.Identity?.Name ?? "agent", ct);
        return ticket is null ? Problems.Problems.NotFound("Ticket", ticketId) : TypedResults.Created($"/api/v1/tickets/{ticketId}", views.Ticket(ticket, withMessages: true));
    }

    public sealed record MergeBody(string? Into);

    public sealed record AssignmentBody(string? Queue, string? Assignee);

    /// <summary>Merges this ticket into another of the same customer (<c>into</c>: ticket id or number).</summary>
    private static async Task<IResult> MergeAsync(string ticketId, HttpRequest request, ClaimsPrincipal user, TicketCommands commands, Views views, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<MergeBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (string.IsNullOrWhiteSpace(body.Value!.Into) || body.Value.Into.Length > 64)
        {
            return Problems.Problems.Validation("into", "Required: the ticket id or number to merge into.");
        }
        var (result, target) = await commands.MergeAsync(ticketId, body.Value.Into.Trim(), user.Identity?.Name ?? "agent", ct);
        return result switch
        {
            TicketCommands.MergeResult.Done => TypedResults.Ok(views.Ticket(target!, withMessages: true)),
            TicketCommands.MergeResult.NotFound => Problems.Problems.NotFound("Ticket", ticketId + " / " + body.Value.Into),
            TicketCommands.MergeResult.SameTicket => Problems.Problems.Validation("into", "A ticket cannot be merged into itself."),
            TicketCommands.MergeResult.OtherRequester => Problems.Problems.Conflict("Only tickets of the same customer can be merged."),
            _ => Problems.Problems.Conflict("Only an open or pending ticket can be merged, and not into a closed one."),
        };
    }

    private static async Task<IResult> ReassignAsync(string ticketId, HttpRequest request, ClaimsPrincipal user, TicketCommands commands, Views views, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<AssignmentBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (!WireName.TryParse<Queue>(body.Value!.Queue, out var queue))
        {
            return Problems.Problems.Validation("queue", "One of " + string.Join(", ", WireName.All<Queue>()) + ".");
        }
        var assignee = string.IsNullOrWhiteSpace(body.Value.Assignee) ? null : body.Value.Assignee.Trim();
        if (assignee is { Length: > 64 })
        {
            return Problems.Problems.Validation("assignee", "At most 64 characters.");
        }
        var ticket = await commands.ReassignAsync(ticketId, queue, assignee, user.Identity?.Name ?? "agent", ct);
        return ticket is null ? Problems.Problems.NotFound("Ticket", ticketId) : TypedResults.Ok(views.Ticket(ticket, withMessages: true));
    }

    private static async Task<IResult> ChangeStatusAsync(string ticketId, HttpRequest request, TicketCommands commands, AppealReview review, Views views, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<StatusBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (!WireName.TryParse<TicketStatus>(body.Value!.Status, out var status))
        {
            return Problems.Problems.Validation("status", "One of " + string.Join(", ", WireName.All<TicketStatus>()) + ".");
        }
        var ticket = await commands.ChangeStatusAsync(ticketId, status, ct);
        if (ticket is null)
        {
            return Problems.Problems.NotFound("Ticket", ticketId);
        }
        if (status != TicketStatus.Open)
        {
            // The backlog just shrank: deferred appeals may fit now.
            await review.AdmitDeferredAsync(ct, max: 50);
        }
        return TypedResults.Ok(views.Ticket(ticket, withMessages: true));
    }
}
