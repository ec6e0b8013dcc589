namespace Otklik.Application.Policy;

public sealed class PolicyInvalidException(IReadOnlyList<(string Field, string Message)> errors)
    : Exception("The gate policy is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<(string Field, string Message)> Errors { get; } = errors;
}
