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
        group.MapPost("/simulations", StartSimulationAsync).Produces<SimulationView>(202).ProducesValidationProblem();
        group.MapGet("/simulations/{id}", (string id, SimulationJobs jobs) =>
            jobs.Find(id) is { } job ? Results.Ok(SimulationView.Of(job)) : Problems.Problems.NotFound("simulation", id)).Produces<SimulationView>();
        app.MapGet("/api/v1/dashboard", async (string? range, Application.Dashboard.DashboardQueries queries, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(await queries.GetAsync(Application.Dashboard.DashboardQueries.RangeFor(range, time.GetUtcNow()), ct)))
            .WithTags("Dashboard").RequireAuthorization(Roles.Supervisor);
        return app;
    }

    public sealed record SimulationBody(DateTimeOffset? From, DateTimeOffset? To, JsonObject? Policy);

    public sealed record SimulationView(string Id, string Status, string PolicyVersion, DateTimeOffset From, DateTimeOffset To, int Done, int Total, string? Error, PolicySimulator.Result? Result)
    {
        public static SimulationView Of(SimulationJobs.Job j) => new(j.Id, j.Status, j.PolicyVersion, j.From, j.To, j.Done, j.Total, j.Error, j.Result);
    }

    /// <summary>Replays a period's appeals through a candidate (the body's <c>policy</c>, or the version in force) in the background.</summary>
    private static async Task<IResult> StartSimulationAsync(HttpRequest request, ClaimsPrincipal user, PolicyProvider provider, SimulationJobs jobs)
    {
        var body = await BodyReader.ReadAsync<SimulationBody>(request, MaxDocument);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var b = body.Value!;
        if (b.From is not { } from || b.To is not { } to || to <= from)
        {
            return Problems.Problems.Validation("to", "from and to are required, to after from.");
        }
        Core.Policy.GatePolicy candidate;
        try
        {
            candidate = b.Policy is { } doc ? PolicyProvider.Parse(doc.ToJsonString()) : provider.Current;
        }
        catch (PolicyInvalidException ex)
        {
            return Refused(ex.Errors, "policy.", "The candidate policy is invalid.");
        }
        var job = jobs.Start(candidate, from, to, user.Identity?.Name ?? "supervisor");
        return TypedResults.Accepted($"/api/v1/policy/simulations/{job.Id}", SimulationView.Of(job));
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

    private static IResult Refused(PolicyVersions.Check check) => Refused(check.Errors, "", "The policy was refused; the version in force stays.");

    private static IResult Refused(IReadOnlyList<(string Field, string Message)> errors, string prefix, string detail) =>
        Problems.Problems.Validation(errors.GroupBy(e => prefix + e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()), detail);
}
