namespace Otklik.Server.Hosting;

/// <summary>Where the server keeps its data: <c>--data-dir</c> (default <c>./data</c>).</summary>
public sealed class ServerPaths(string dataDirectory)
{
    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public static ServerPaths From(IConfiguration configuration) => new(configuration["data-dir"] ?? configuration["DataDir"] ?? "data");
}
