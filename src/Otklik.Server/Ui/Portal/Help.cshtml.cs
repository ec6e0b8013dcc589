using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Otklik.Application.Appeals;
using Otklik.Application.Portal;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Text;

namespace Otklik.Server.Ui.Portal;

/// <summary>
/// "My orders → order → Help with order → problem type": shows what the appeal will need before it
/// is sent, then takes the text, the demand and the photos, and files the appeal through the gate.
/// </summary>
[RequestSizeLimit(AttachmentStore.MaxBytes * AttachmentStore.MaxFiles + 1_000_000)]
[RequestFormLimits(MultipartBodyLengthLimit = AttachmentStore.MaxBytes * AttachmentStore.MaxFiles + 1_000_000)]
public sealed class HelpModel(CustomerPortal portal, AppealIntake intake, AppealQueries appeals, AttachmentStore store, TimeProvider time) : PageModel
{
    public Order? Order { get; private set; }
    public IReadOnlyList<ProblemTypeDefinition> Types { get; private set; } = [];
    public CustomerPortal.Requirements? Requirements { get; private set; }
    public string Token { get; private set; } = Guid.NewGuid().ToString("N");
    public string? Text { get; private set; }
    public string? Demand { get; private set; }
    public List<string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(string? type, string? order, string? from, CancellationToken ct)
    {
        if (!await LoadAsync(type, order, ct))
        {
            return NotFound();
        }
        if (from is not null && await appeals.GetAsync(from, ct) is { } earlier && earlier.Appeal.AccountId == PortalUser.AccountId(User))
        {
            Text = earlier.Appeal.Text;
            Demand = earlier.Appeal.Demand is { } d ? WireName.Of(d) : null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? type, string? order, string? token, string? text, string? demand, List<IFormFile>? photos, CancellationToken ct)
    {
        if (!await LoadAsync(type, order, ct) || Requirements is null)
        {
            return NotFound();
        }
        Token = string.IsNullOrWhiteSpace(token) || token.Length > 64 ? Token : token;
        Text = text;
        Demand = demand;
        var ru = UiText.Language(HttpContext) == "ru";
        Demand? parsedDemand = null;
        if (!string.IsNullOrEmpty(demand))
        {
            if (WireName.TryParse<Demand>(demand, out var d))
            {
                parsedDemand = d;
            }
            else
            {
                Errors.Add(ru ? "Неизвестное требование." : "Unknown demand.");
            }
        }
        if (string.IsNullOrWhiteSpace(text) || text.Length > AppealRequest.MaxTextLength)
        {
            Errors.Add(ru ? "Опишите проблему (до 10 000 знаков)." : "Describe the problem (up to 10,000 characters).");
        }
        var files = photos ?? [];
        if (files.Count > AttachmentStore.MaxFiles)
        {
            Errors.Add(ru ? $"Не больше {AttachmentStore.MaxFiles} файлов." : $"At most {AttachmentStore.MaxFiles} files.");
        }
        var uploads = new List<(IFormFile File, byte[] Bytes, string Type)>();
        foreach (var file in files.Take(AttachmentStore.MaxFiles))
        {
            if (file.Length == 0 || file.Length > AttachmentStore.MaxBytes)
            {
                Errors.Add(ru ? $"Файл «{file.FileName}» пуст или больше 10 МБ." : $"File “{file.FileName}” is empty or over 10 MB.");
                continue;
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var bytes = buffer.ToArray();
            var sniffed = AttachmentStore.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, 16)));
            if (sniffed is null)
            {
                Errors.Add(ru ? $"Файл «{file.FileName}» — не фото и не PDF." : $"File “{file.FileName}” is not a photo or a PDF.");
                continue;
            }
            uploads.Add((file, bytes, sniffed));
        }
        if (Errors.Count > 0)
        {
            return Page();
        }
        var accountId = PortalUser.AccountId(User);
        var account = (await portal.AccountAsync(accountId, ct))!;
        var attachments = new List<AttachmentInfo>();
        var hash = new StringBuilder();
        for (var i = 0; i < uploads.Count; i++)
        {
            var (file, bytes, sniffedType) = uploads[i];
            var stored = await store.SaveAsync(Token, i + 1, file.FileName, bytes, sniffedType, ct);
            attachments.Add(new AttachmentInfo(stored.Name, stored.ContentType, stored.Size));
            hash.Append(Convert.ToHexString(SHA256.HashData(bytes)));
        }
        var request = new AppealRequest(Channel.Web, RequesterAddress.ForAccount(accountId), account.Role, Order?.Number, Requirements.Type.Code,
            parsedDemand, text!.Trim(), attachments, ClaimedData.None, time.GetUtcNow());
        var canonical = $"{request.OrderNumber}|{request.ProblemType}|{demand}|{request.Text}|{hash}";
        var requestHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        var result = await intake.SubmitAsync(new AppealSubmission(request, "portal", Token, requestHash, JsonText.EmptyObject), ct);
        if (result.Status == IntakeStatus.Conflict)
        {
            // The same form sent again with other content (the back button): it is a new appeal.
            result = await intake.SubmitAsync(new AppealSubmission(request, "portal", Guid.NewGuid().ToString("N"), requestHash, JsonText.EmptyObject), ct);
        }
        return Redirect($"/portal/appeals/{result.Appeal!.AppealId}");
    }

    private async Task<bool> LoadAsync(string? type, string? order, CancellationToken ct)
    {
        var accountId = PortalUser.AccountId(User);
        var account = await portal.AccountAsync(accountId, ct);
        if (account is null)
        {
            return false;
        }
        if (order is not null)
        {
            Order = await portal.OrderAsync(accountId, order, ct);
            if (Order is null)
            {
                return false;
            }
        }
        Types = portal.TypesFor(account.Role, Order is not null);
        if (type is not null)
        {
            if (!Types.Any(t => t.Code == type))
            {
                return false;
            }
            Requirements = portal.RequirementsFor(Order, type);
        }
        return true;
    }
}
