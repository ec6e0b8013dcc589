namespace Otklik.Server.Hosting;

/// <summary>Lets flags stand alone on the command line (<c>--demo</c>), which the configuration binder cannot read as is.</summary>
public static class ServerArguments
{
    private static readonly string[] s_switches = ["--demo"];

    public static string[] Normalize(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var isSwitch = s_switches.Contains(arg, StringComparer.OrdinalIgnoreCase);
            var nextIsValue = i + 1 < args.Length && (args[i + 1] is "true" or "false");
            result.Add(isSwitch && !nextIsValue ? arg + "=true" : arg);
        }
        return [.. result];
    }
}
