using Microsoft.AspNetCore.Authentication;
using Otklik.Server.Ui.Portal;
using Otklik.Server.Ui.Workspace;

namespace Otklik.Server.Ui;

/// <summary>The small non-page routes of the web interface: the language switch and signing out.</summary>
public static class UiEndpoints
{
    public static IEndpointRouteBuilder MapUiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/portal")).ExcludeFromDescription();
        app.MapGet("/lang", (HttpContext context, string? to, string? back) =>
        {
            context.Response.Cookies.Append(UiText.Cookie, to == "en" ? "en" : "ru", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
            return Results.LocalRedirect(back is { Length: > 0 } && back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) ? back : "/portal");
        }).ExcludeFromDescription();
        app.MapPost("/portal/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(PortalUser.Scheme);
            return Results.LocalRedirect("/portal/login");
        }).ExcludeFromDescription();
        app.MapPost("/workspace/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(WorkspaceUser.Scheme);
            return Results.LocalRedirect("/workspace/login");
        }).ExcludeFromDescription();
        app.MapGet("/workspace/tickets/{id}/live", LiveAsync).RequireAuthorization(WorkspaceUser.Policy).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Server-sent events for an open ticket page: <c>ticket</c> when the ticket changed (a customer wrote,
    /// another agent replied), <c>presence</c> with the agents viewing it. Ends after 10 minutes; the
    /// browser's EventSource reconnects by itself.
    /// </summary>
    private static async Task LiveAsync(string id, HttpContext context, IServiceScopeFactory scopes, TicketPresence presence)
    {
        var ct = context.RequestAborted;
        var agent = context.User.FindFirst("otklik:display")?.Value ?? context.User.Identity?.Name ?? "agent";
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        // Open for minutes on every ticket page an agent has open: not counted against the overload budget meanwhile.
        context.Features.Get<Hosting.AdmittedPlace>()?.GiveBack();
        using var joined = presence.Join(id, agent);
        long? version = null;
        string? viewers = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            while (!ct.IsCancellationRequested && System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(10))
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<Otklik.Data.OtklikDbContext>();
                    var current = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
                        db.Tickets.Where(t => t.TicketId == id).Select(t => (long?)t.Version), ct);
                    if (current is null)
                    {
                        return;
                    }
                    if (version is not null && current != version)
                    {
                        await context.Response.WriteAsync($"event: ticket\ndata: {current}\n\n", ct);
                    }
                    version = current;
                }
                var now = string.Join(", ", presence.Viewers(id));
                if (now != viewers)
                {
                    viewers = now;
                    await context.Response.WriteAsync($"event: presence\ndata: {now}\n\n", ct);
                }
                await context.Response.Body.FlushAsync(ct);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }
}
