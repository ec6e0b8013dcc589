namespace Otklik.Core.Appeals;

/// <summary>What the customer asks for; it decides the legal deadline (sla.md).</summary>
public enum Demand
{
    Refund,
    Replacement,
    Repair,
    PriceReduction,
    Exchange,
    Information,
}
