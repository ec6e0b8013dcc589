namespace Otklik.Core.Appeals;

public enum Channel
{
    App,
    Web,
    Phone,
    Telegram,
    Vk,
    Email,
    Chat,
}
