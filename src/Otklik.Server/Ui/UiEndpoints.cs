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
        return app;
    }
}
