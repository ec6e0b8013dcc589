using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Core.Tests.Gate;

/// <summary>The catalog defaults of gate.md, built in code so the core tests need nothing but the core.</summary>
internal static class TestPolicy
{
    public static readonly GatePolicy Default = new()
    {
        Version = "test.1",
        Catalog =
        [
            new ProblemTypeDefinition { Code = "delivery_delay", NeedsOrder = true, OrderWindow = new OrderWindow { Statuses = [OrderStatus.Created, OrderStatus.Paid, OrderStatus.Shipped] }, Priority = PriorityClass.P2, FirstResponseDays = 1, LegalBasis = "23.1" },
            new ProblemTypeDefinition { Code = "not_received", NeedsOrder = true, OrderWindow = new OrderWindow { Statuses = [OrderStatus.Shipped, OrderStatus.Delivered], DeliveredWithinDays = 30 }, Priority = PriorityClass.P2, FirstResponseDays = 1, LegalBasis = "23.1" },
            new ProblemTypeDefinition { Code = "damaged_item", NeedsOrder = true, OrderWindow = new OrderWindow { Statuses = [OrderStatus.Delivered], DeliveredWithinDays = 30 }, Evidence = true, Priority = PriorityClass.P2, FirstResponseDays = 2, LegalBasis = "18" },
            new ProblemTypeDefinition { Code = "return_request", NeedsOrder = true, OrderWindow = new OrderWindow { Statuses = [OrderStatus.Delivered], DeliveredWithinDays = 7, WithoutReturnRulesMonths = 3 }, Priority = PriorityClass.P2, FirstResponseDays = 2, LegalBasis = "26.1" },
            new ProblemTypeDefinition { Code = "quality_defect", NeedsOrder = true, OrderWindow = new OrderWindow { Statuses = [OrderStatus.Delivered], DeliveredWithinMonths = 24 }, Evidence = true, Priority = PriorityClass.P1, FirstResponseDays = 2, LegalBasis = "18–22" },
            new ProblemTypeDefinition { Code = "cancel_order", NeedsOrder = true, OrderWindow = new OrderWindow { Statuses = [OrderStatus.Created, OrderStatus.Paid] }, Priority = PriorityClass.P2, FirstResponseDays = 1 },
            new ProblemTypeDefinition { Code = "payment_issue", Priority = PriorityClass.P1, FirstResponseDays = 1 },
            new ProblemTypeDefinition { Code = "pre_purchase_question", Priority = PriorityClass.P4, FirstResponseDays = 3, GuestsAllowed = true },
            new ProblemTypeDefinition { Code = "other", Roles = [RequesterRole.Buyer, RequesterRole.Seller], Priority = PriorityClass.P3, FirstResponseDays = 3 },
            new ProblemTypeDefinition { Code = "shipment_issue", Roles = [RequesterRole.Seller], NeedsOrder = true, Priority = PriorityClass.P2, FirstResponseDays = 2 },
        ],
        UrgentDemands = [Demand.Refund, Demand.Replacement, Demand.Repair],
    };
}
