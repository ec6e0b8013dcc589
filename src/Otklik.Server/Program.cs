using Otklik.Server.Hosting;

var builder = WebApplication.CreateBuilder(ServerArguments.Normalize(args));
builder.AddOtklikServer();

var app = builder.Build();
app.MapOtklik();
await app.PrepareOtklikAsync();
await app.RunAsync();

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
