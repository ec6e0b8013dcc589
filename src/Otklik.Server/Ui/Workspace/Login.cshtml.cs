using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Workspace;

namespace Otklik.Server.Ui.Workspace;

public sealed class LoginModel(AgentDirectory agents) : PageModel
{
    public bool Failed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? name, string? password, CancellationToken ct)
    {
        var agent = name is { Length: > 0 and <= 64 } && password is { Length: > 0 and <= 200 } ? await agents.VerifyAsync(name, password, ct) : null;
        if (agent is null)
        {
            Failed = true;
            return Page();
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, agent.Name), new Claim(ClaimTypes.Role, agent.Role), new Claim("otklik:display", agent.DisplayName)], WorkspaceUser.Scheme);
        await HttpContext.SignInAsync(WorkspaceUser.Scheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(Request.Query["ReturnUrl"]) ? Request.Query["ReturnUrl"].ToString() : "/workspace");
    }
}
