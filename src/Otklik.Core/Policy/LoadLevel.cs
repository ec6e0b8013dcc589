namespace Otklik.Core.Policy;

public enum LoadLevel
{
    Normal,
    Elevated,
    High,
    Critical,
}
