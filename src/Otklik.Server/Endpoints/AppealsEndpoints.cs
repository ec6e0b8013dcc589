using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Otklik.Application;
using Otklik.Application.Appeals;
using Otklik.Application.Policy;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Calendar;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Text;
using Otklik.Server.Auth;
using Otklik.Server.Contracts;
using Otklik.Server.Problems;

namespace Otklik.Server.Endpoints;

/// <summary>Appeals: submit through the gate, read the decision as it stands, the trace, overrides.</summary>
public static class AppealsEndpoints
{
    public const int MaxAttachmentBytes = 100 * 1024 * 1024;
    private static readonly TimeSpan s_clockSkew = TimeSpan.FromMinutes(1);

    public static IEndpointRouteBuilder MapAppealsEndpoints(this IEndpointRouteBuilder app)
    {
        var appeals = app.MapGroup("/api/v1/appeals").WithTags("Appeals");
        appeals.MapPost("/", SubmitAppealAsync).RequireAuthorization(Roles.Integration)
            .Accepts<AppealBody>("application/json").Produces<DecisionView>(201).Produces<DecisionView>(200).ProducesProblem(400).ProducesProblem(409).WithName("SubmitAppeal");
        appeals.MapGet("/", ListAsync).RequireAuthorization(Policies.AgentOrSupervisor).Produces<Page<DecisionView>>();
        appeals.MapGet("/{appealId}", GetAppealAsync).RequireAuthorization(Policies.AnyRole).Produces<DecisionView>();
        appeals.MapGet("/{appealId}/trace", GetTraceAsync).RequireAuthorization(Policies.AgentOrSupervisor).Produces<TraceView>();
        appeals.MapPost("/{appealId}/override", OverrideAsync).RequireAuthorization(Policies.AgentOrSupervisor).Accepts<OverrideBody>("application/json").Produces<DecisionView>();
        app.MapGet("/api/v1/accounts/{accountId}/appeals", ListForAccountAsync).WithTags("Appeals").RequireAuthorization(Policies.AnyRole).Produces<Page<DecisionView>>();
        return app;
    }

    private static async Task<IResult> SubmitAppealAsync(HttpRequest request, ClaimsPrincipal user, AppealIntake intake, PolicyProvider policies, Core.Sla.SlaClock clock, TimeProvider time, Views views,
        Application.Coordination.IRateLimitStore limits, Microsoft.Extensions.Options.IOptions<Hosting.RequesterFloodOptions> flood, CancellationToken ct)
    {
        var key = request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > Appeal.MaxIdempotencyKeyLength)
        {
            return Problems.Problems.Validation("Idempotency-Key", $"The Idempotency-Key header is required, at most {Appeal.MaxIdempotencyKeyLength} characters.");
        }
        var body = await BodyReader.ReadAsync<AppealBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var (appealRequest, roleGiven, errors) = Validate(body.Value!, policies.Current.FindProblemType, clock.Calendar, time.GetUtcNow());
        if (errors.Any)
        {
            return errors.ToResult();
        }
        // A flood from one requester (a script, a stuck client) stops here, before any store work, on every node alike.
        var throttle = await limits.AcquireAsync("intake:" + appealRequest!.Requester.Key, flood.Value.Limit, ct);
        if (!throttle.Allowed)
        {
            request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(throttle.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Problems.Create(StatusCodes.Status429TooManyRequests, "requester-flood", "Too many requests from this requester",
                "This requester sent more appeals in a short time than any person could; nothing was stored. Retry after the given seconds.");
        }
        var canonical = JsonSerializer.SerializeToUtf8Bytes(body.Value, OtklikJson.Options);
        var hash = Convert.ToHexString(SHA256.HashData(canonical));
        var client = user.Identity?.Name ?? "anonymous";
        var result = await intake.SubmitAsync(new AppealSubmission(appealRequest!, client, key, hash, JsonText.FromUtf8(canonical), roleGiven), ct);
        var language = Views.LanguageOf(request);
        return result.Status switch
        {
            IntakeStatus.Created => DecisionResults.Created($"/api/v1/appeals/{result.Appeal!.AppealId}", views.Decision(result.Appeal, result.Decision!, language)),
            IntakeStatus.Replayed => DecisionResults.Ok(views.Decision(result.Appeal!, result.Decision!, language)),
            _ => Problems.Problems.Conflict($"The Idempotency-Key '{key}' was already used with a different body (appeal {result.Appeal!.AppealId})."),
        };
    }

    internal static (AppealRequest? Request, bool RoleGiven, ValidationErrors Errors) Validate(AppealBody b, Func<string, Core.Policy.ProblemTypeDefinition?> findType, BusinessCalendar calendar, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (!WireName.TryParse<Channel>(b.Channel, out var channel))
        {
            errors.Add("channel", "Required: one of " + string.Join(", ", WireName.All<Channel>()) + ".");
        }
        RequesterAddress address = default;
        if (b.Requester is not { } r)
        {
            errors.Add("requester", "Required: an object with exactly one of account_id, phone, telegram_id, vk_id, email.");
        }
        else
        {
            var given = new (string Field, string? Value, IdentityKind? Kind)[]
            {
                ("account_id", r.AccountId, null), ("phone", r.Phone, IdentityKind.Phone), ("telegram_id", r.TelegramId, IdentityKind.Telegram),
                ("vk_id", r.VkId, IdentityKind.Vk), ("email", r.Email, IdentityKind.Email),
            }.Where(x => x.Value is not null).ToList();
            if (given.Count != 1)
            {
                errors.Add("requester", "Give exactly one of account_id, phone, telegram_id, vk_id, email.");
            }
            else
            {
                var (field, value, kind) = given[0];
                if (string.IsNullOrWhiteSpace(value) || value.Length > RequesterAddress.MaxValueLength || value.Any(char.IsControl))
                {
                    errors.Add("requester." + field, $"Must be non-empty, at most {RequesterAddress.MaxValueLength} characters.");
                }
                else if (kind == IdentityKind.Email && !value.Contains('@', StringComparison.Ordinal))
                {
                    errors.Add("requester.email", "Must be an e-mail address.");
                }
                else if (kind == IdentityKind.Phone && PhoneNumber.Normalize(value).Count(char.IsAsciiDigit) < 10)
                {
                    errors.Add("requester.phone", "Must be a phone number with at least 10 digits.");
                }
                else
                {
                    address = kind is { } k ? RequesterAddress.ForIdentity(k, value) : RequesterAddress.ForAccount(value.Trim());
                }
            }
        }
        var typeCode = string.IsNullOrWhiteSpace(b.ProblemType) ? "other" : b.ProblemType;
        var type = findType(typeCode);
        if (type is null)
        {
            errors.Add("problem_type", $"Unknown problem type '{typeCode}'.");
        }
        var roleGiven = b.Role is not null;
        RequesterRole role;
        if (roleGiven)
        {
            if (!WireName.TryParse(b.Role, out role))
            {
                errors.Add("role", "One of buyer, seller.");
            }
            else if (type is not null && !type.Roles.Contains(role))
            {
                errors.Add("problem_type", $"'{type.Code}' is not a problem type for a {b.Role}.");
            }
        }
        else
        {
            role = type is { Roles.Count: 1 } ? type.Roles[0] : RequesterRole.Buyer;
        }
        Demand? demand = null;
        if (b.Demand is not null)
        {
            if (WireName.TryParse<Demand>(b.Demand, out var d))
            {
                demand = d;
            }
            else
            {
                errors.Add("demand", "One of " + string.Join(", ", WireName.All<Demand>()) + ".");
            }
        }
        if (b.Text is null)
        {
            errors.Add("text", "Required: the customer's words.");
        }
        else if (b.Text.Length > AppealRequest.MaxTextLength)
        {
            errors.Add("text", $"At most {AppealRequest.MaxTextLength} characters.");
        }
        var orderNumber = string.IsNullOrWhiteSpace(b.OrderNumber) ? null : b.OrderNumber.Trim();
        if (orderNumber is { Length: > Order.MaxNumberLength })
        {
            errors.Add("order_number", $"At most {Order.MaxNumberLength} characters.");
        }
        var attachments = new List<AttachmentInfo>();
        if (b.Attachments is { } list)
        {
            if (list.Count > AppealRequest.MaxAttachments)
            {
                errors.Add("attachments", $"At most {AppealRequest.MaxAttachments} attachments.");
            }
            for (var i = 0; i < list.Count; i++)
            {
                var a = list[i];
                if (a is null || string.IsNullOrWhiteSpace(a.Name) || a.Name.Length > AttachmentInfo.MaxNameLength)
                {
                    errors.Add($"attachments[{i}].name", $"Required, at most {AttachmentInfo.MaxNameLength} characters.");
                    continue;
                }
                if (string.IsNullOrWhiteSpace(a.ContentType) || a.ContentType.Length > 100 || !a.ContentType.Contains('/', StringComparison.Ordinal))
                {
                    errors.Add($"attachments[{i}].content_type", "Required: a media type such as image/jpeg.");
                    continue;
                }
                if (a.Size is not (>= 0 and <= MaxAttachmentBytes))
                {
                    errors.Add($"attachments[{i}].size", $"Required: bytes, from 0 to {MaxAttachmentBytes}.");
                    continue;
                }
                attachments.Add(new AttachmentInfo(a.Name, a.ContentType.Trim().ToLowerInvariant(), a.Size.Value));
            }
        }
        var claimed = ClaimedData.None;
        if (b.Claimed is { } c)
        {
            if (c.Name?.Length > 255 || c.Phone?.Length > 255 || c.Email?.Length > 255)
            {
                errors.Add("claimed", "Each field at most 255 characters.");
            }
            claimed = new ClaimedData(NullIfBlank(c.Name), NullIfBlank(c.Phone), NullIfBlank(c.Email));
        }
        var receivedAt = b.ReceivedAt ?? now;
        if (receivedAt > now + s_clockSkew)
        {
            errors.Add("received_at", "May not lie in the future.");
        }
        else if (receivedAt.Year < calendar.FirstYear || receivedAt.Year > calendar.LastYear)
        {
            errors.Add("received_at", $"Outside the loaded production calendar ({calendar.FirstYear}–{calendar.LastYear}).");
        }
        if (errors.Any)
        {
            return (null, roleGiven, errors);
        }
        return (new AppealRequest(channel, address, role, orderNumber, type!.Code, demand, b.Text!, attachments, claimed, receivedAt), roleGiven, errors);
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static async Task<IResult> GetAppealAsync(string appealId, HttpRequest request, AppealQueries queries, Views views, CancellationToken ct)
    {
        var view = await queries.GetAsync(appealId, ct);
        return view is null
            ? Problems.Problems.NotFound("Appeal", appealId)
            : TypedResults.Ok(views.Decision(view.Appeal, view.Decision, Views.LanguageOf(request), view.Ticket, view.AdmittedTicket, details: true));
    }

    private static async Task<IResult> GetTraceAsync(string appealId, AppealQueries queries, Views views, CancellationToken ct)
    {
        var view = await queries.GetAsync(appealId, ct);
        return view is null ? Problems.Problems.NotFound("Appeal", appealId) : TypedResults.Ok(views.Trace(view.Appeal, view.Decision));
    }

    private static async Task<IResult> OverrideAsync(string appealId, HttpRequest request, ClaimsPrincipal user, AppealReview review, AppealQueries queries, Views views, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<OverrideBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (string.IsNullOrWhiteSpace(body.Value!.Reason) || body.Value.Reason.Length > 2000)
        {
            return Problems.Problems.Validation("reason", "Required: why the appeal should become a ticket (at most 2000 characters).");
        }
        var status = await review.OverrideAsync(appealId, user.Identity?.Name ?? "agent", body.Value.Reason.Trim(), ct);
        if (status == AppealReview.OverrideStatus.NotFound)
        {
            return Problems.Problems.NotFound("Appeal", appealId);
        }
        if (status == AppealReview.OverrideStatus.NotHeld)
        {
            return Problems.Problems.Conflict("Only a held appeal (needs_info, rejected, or deferred and not yet admitted) without a ticket can be overridden.");
        }
        var view = (await queries.GetAsync(appealId, ct))!;
        return TypedResults.Ok(views.Decision(view.Appeal, view.Decision, Views.LanguageOf(request), view.Ticket, view.AdmittedTicket, details: true));
    }

    /// <summary>The review queue and other appeal lists: <c>?held=true</c>, <c>outcome=</c>, <c>rule=</c>, <c>account_id=</c>.</summary>
    private static Task<IResult> ListAsync(HttpRequest request, AppealQueries queries, Views views, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        Outcome? outcome = null;
        if (request.Query["outcome"].ToString() is { Length: > 0 } o)
        {
            if (WireName.TryParse<Outcome>(o, out var parsed)) outcome = parsed;
            else errors.Add("outcome", "One of " + string.Join(", ", WireName.All<Outcome>()) + ".");
        }
        var held = request.Query["held"].ToString() switch
        {
            "" or "false" => false,
            "true" => true,
            _ => (bool?)null,
        };
        if (held is null)
        {
            errors.Add("held", "true or false.");
        }
        if (errors.Any)
        {
            return Task.FromResult(errors.ToResult());
        }
        var filter = new AppealQueries.Filter(
            request.Query["account_id"].ToString() is { Length: > 0 } a ? a : null, outcome, held!.Value,
            request.Query["rule"].ToString() is { Length: > 0 } r ? r : null);
        return PageAsync(request, queries, views, filter, ct);
    }

    private static Task<IResult> ListForAccountAsync(string accountId, HttpRequest request, AppealQueries queries, Views views, CancellationToken ct) =>
        PageAsync(request, queries, views, new AppealQueries.Filter(AccountId: accountId), ct);

    private static async Task<IResult> PageAsync(HttpRequest request, AppealQueries queries, Views views, AppealQueries.Filter filter, CancellationToken ct)
    {
        var (limit, error) = Paging.Limit(request);
        if (error is not null)
        {
            return error;
        }
        (DateTimeOffset, string)? before = null;
        if (request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (Paging.Decode(cursor) is not { } raw || raw.Split('|') is not [var ticks, var id] || !long.TryParse(ticks, out var t) || t < 0 || t > DateTimeOffset.MaxValue.UtcTicks)
            {
                return Problems.Problems.Validation("cursor", "Not a cursor returned by this list.");
            }
            before = (new DateTimeOffset(t, TimeSpan.Zero), id);
        }
        var (items, next) = await queries.ListAsync(filter, before, limit, ct);
        var language = Views.LanguageOf(request);
        return TypedResults.Ok(new Page<DecisionView>(
            [.. items.Select(v => views.Decision(v.Appeal, v.Decision, language, v.Ticket, v.AdmittedTicket, details: true))],
            next is { } n ? Paging.Encode($"{n.At.UtcTicks}|{n.Id}") : null));
    }
}
