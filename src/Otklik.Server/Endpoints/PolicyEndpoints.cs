using System.Security.Claims;
using System.Text.Json.Nodes;
using Otklik.Application.Policy;
using Otklik.Server.Auth;
using Otklik.Server.Problems;

namespace Otklik.Server.Endpoints;

/// <summary>The gate policy for supervisors: the version in force, its history, checking a candidate, activating it.</summary>
public static class PolicyEndpoints
{
    private const long MaxDocument = 1024 * 1024;

    public sealed record PolicyVersionView(string Version, string ActivatedBy, DateTimeOffset ActivatedAt, string Source);

    public sealed record CurrentPolicyView(string Version, string Source, PolicyVersionView? Activation, JsonNode? Policy);

    public sealed record CheckView(bool Valid, string Version, IReadOnlyList<string> Diff);

    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/policy").WithTags("Policy").RequireAuthorization(Roles.Supervisor);
        group.MapGet("/", CurrentAsync).Produces<CurrentPolicyView>();
        group.MapGet("/versions", async (PolicyVersions versions, CancellationToken ct) =>
            TypedResults.Ok((await versions.ListAsync(200, ct)).Select(View).ToList())).Produces<List<PolicyVersionView>>();
        group.MapPost("/check", CheckAsync).Produces<CheckView>().ProducesValidationProblem();
        group.MapPut("/", ActivateAsync).Produces<CheckView>().ProducesValidationProblem();
        app.MapGet("/api/v1/dashboard", async (string? range, Application.Dashboard.DashboardQueries queries, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(await queries.GetAsync(Application.Dashboard.DashboardQueries.RangeFor(range, time.GetUtcNow()), ct)))
            .WithTags("Dashboard").RequireAuthorization(Roles.Supervisor);
        return app;
    }

    private static PolicyVersionView View(Data.PolicyVersionRecord r) => new(r.Version, r.ActivatedBy, r.ActivatedAt, r.Source);

    private static async Task<IResult> CurrentAsync(PolicyProvider provider, PolicyVersions versions, CancellationToken ct)
    {
        var active = provider.CurrentActive;
        var record = await versions.FindAsync(active.Policy.Version, ct);
        return TypedResults.Ok(new CurrentPolicyView(active.Policy.Version, active.Source, record is null ? null : View(record), JsonNode.Parse(active.Json)));
    }

    private static async Task<IResult> CheckAsync(HttpRequest request, PolicyProvider provider, PolicyVersions versions, CancellationToken ct)
    {
        var (raw, error) = await BodyReader.ReadRawAsync(request, MaxDocument);
        if (error is not null)
        {
            return error;
        }
        var check = await versions.CheckAsync(System.Text.Encoding.UTF8.GetString(raw), ct);
        if (check.Policy is null)
        {
            return Refused(check);
        }
        var diff = PolicyVersions.Diff(PolicyVersions.Pretty(provider.CurrentActive.Json), check.Pretty).Where(l => l.Kind != ' ').Select(l => $"{l.Kind} {l.Text}").ToList();
        return TypedResults.Ok(new CheckView(true, check.Policy.Version, diff));
    }

    private static async Task<IResult> ActivateAsync(HttpRequest request, ClaimsPrincipal user, PolicyVersions versions, CancellationToken ct)
    {
        var (raw, error) = await BodyReader.ReadRawAsync(request, MaxDocument);
        if (error is not null)
        {
            return error;
        }
        var check = await versions.ActivateAsync(System.Text.Encoding.UTF8.GetString(raw), user.Identity?.Name ?? "supervisor", "editor", ct);
        return check.Policy is { } policy ? TypedResults.Ok(new CheckView(true, policy.Version, [])) : Refused(check);
    }

    private static IResult Refused(PolicyVersions.Check check) =>
        Problems.Problems.Validation(check.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()), "The policy was refused; the version in force stays.");
}
