using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Portal;
using Otklik.Core.Requesters;

namespace Otklik.Server.Ui.Portal;

/// <summary>Login by phone and a one-time code; signing in confirms the phone, which counts as account activity.</summary>
public sealed partial class LoginModel(CustomerPortal portal, OneTimeCodes codes, IOneTimeCodeSender sender, Application.Directory.DirectoryCommands directory, ILogger<LoginModel> logger) : PageModel
{
    public string? Phone { get; private set; }
    public bool CodeSent { get; private set; }
    public string? DemoCode { get; private set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPhoneAsync(string phone, CancellationToken ct)
    {
        Phone = phone;
        var ru = UiText.Language(HttpContext) == "ru";
        if (string.IsNullOrWhiteSpace(phone) || PhoneNumber.Normalize(phone).Count(char.IsAsciiDigit) < 10)
        {
            Error = ru ? "Введите номер телефона полностью." : "Enter the full phone number.";
            return Page();
        }
        var normalized = PhoneNumber.Normalize(phone);
        var (result, code, retry) = codes.Issue(normalized);
        if (result == OneTimeCodes.IssueResult.TooMany)
        {
            Error = ru ? $"Слишком много кодов. Попробуйте через {Math.Ceiling(retry!.Value.TotalMinutes)} мин." : $"Too many codes. Try again in {Math.Ceiling(retry!.Value.TotalMinutes)} min.";
            return Page();
        }
        // The same answer whether or not the phone has an account: the page reveals nothing.
        if (await portal.FindByPhoneAsync(normalized, ct) is not null)
        {
            await sender.SendAsync(normalized, code!, ct);
            DemoCode = sender.ShowsCodeOnPage ? code : null;
        }
        Phone = normalized;
        CodeSent = true;
        return Page();
    }

    public async Task<IActionResult> OnPostCodeAsync(string phone, string code, CancellationToken ct)
    {
        Phone = PhoneNumber.Normalize(phone ?? "");
        CodeSent = true;
        var ru = UiText.Language(HttpContext) == "ru";
        var check = codes.Check(Phone, code ?? "");
        var account = check == OneTimeCodes.CheckResult.Valid ? await portal.FindByPhoneAsync(Phone, ct) : null;
        if (account is null)
        {
            Error = check switch
            {
                OneTimeCodes.CheckResult.Locked => ru ? "Слишком много попыток. Запросите новый код." : "Too many attempts. Ask for a new code.",
                OneTimeCodes.CheckResult.Expired => ru ? "Код устарел. Запросите новый." : "The code has expired. Ask for a new one.",
                _ => ru ? "Неверный код." : "Wrong code.",
            };
            if (check != OneTimeCodes.CheckResult.Wrong)
            {
                CodeSent = false;
            }
            return Page();
        }
        await directory.ConfirmAccountPhoneAsync(account.AccountId, ct);
        var identity = new ClaimsIdentity(
            [new Claim(PortalUser.AccountClaim, account.AccountId), new Claim(ClaimTypes.Name, account.Name ?? account.AccountId)], PortalUser.Scheme);
        await HttpContext.SignInAsync(PortalUser.Scheme, new ClaimsPrincipal(identity));
        LogSignedIn(account.AccountId);
        return LocalRedirect(Url.IsLocalUrl(Request.Query["ReturnUrl"]) ? Request.Query["ReturnUrl"].ToString() : "/portal");
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Customer {AccountId} signed in to the portal")]
    private partial void LogSignedIn(string accountId);
}
