namespace Otklik.Core.Requesters;

public enum IdentityKind
{
    Phone,
    Telegram,
    Vk,
    Email,
}
