using Microsoft.AspNetCore.Http.HttpResults;

namespace Otklik.Server.Problems;

/// <summary>RFC 9457 problem responses with Otklik's own problem types.</summary>
public static class Problems
{
    public const string TypeBase = "https://otklik.dev/problems/";

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + code);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail: detail ?? "The request is not valid; see errors.", type: TypeBase + "validation");

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what, string id) =>
        Create(StatusCodes.Status404NotFound, "not-found", $"{what} not found", $"No {what.ToLowerInvariant()} with id '{id}'.");

    public static ProblemHttpResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, "conflict", "Conflict", detail);
}
