namespace Otklik.Server.Problems;

/// <summary>Collects field → messages for one validation problem.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public IResult ToResult() => Problems.Validation(_errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
}
