using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Text;

namespace Otklik.Data.Configurations;

internal sealed class AppealConfiguration : IEntityTypeConfiguration<Appeal>
{
    public void Configure(EntityTypeBuilder<Appeal> b)
    {
        b.ToTable("appeals");
        b.HasKey(a => a.AppealId);
        b.Property(a => a.AppealId).HasMaxLength(32);
        b.Property(a => a.ClientName).HasMaxLength(Appeal.MaxClientNameLength);
        b.Property(a => a.IdempotencyKey).HasMaxLength(Appeal.MaxIdempotencyKeyLength);
        b.Property(a => a.RequestHash).HasMaxLength(64);
        b.Property(a => a.RequesterKey).HasMaxLength(RequesterAddress.MaxValueLength + 16);
        b.Property(a => a.AccountId).HasMaxLength(Requester.MaxIdLength);
        b.Property(a => a.OrderNumber).HasMaxLength(Order.MaxNumberLength);
        b.Property(a => a.ProblemType).HasMaxLength(ProblemTypeDefinition.MaxCodeLength);
        b.Property(a => a.Text).HasMaxLength(AppealRequest.MaxTextLength);
        b.Property(a => a.PolicyVersion).HasMaxLength(64);
        b.Property(a => a.DecidedBy).HasMaxLength(64);
        b.Property(a => a.TicketId).HasMaxLength(32);
        b.Property(a => a.AdmittedTicketId).HasMaxLength(32);
        b.Property(a => a.OverriddenBy).HasMaxLength(100);
        b.Property(a => a.OverrideReason).HasMaxLength(2000);
        b.Property(a => a.Reason).HasMaxLength(64);
        // Text columns as before; the embedded intake binds and reads their UTF-8 bytes directly (RowMap).
        b.Property(a => a.RequestJson).HasConversion(v => v.ToString(), s => JsonText.From(s));
        b.Property(a => a.DecisionJson).HasConversion(v => v.ToString(), s => JsonText.From(s));
        b.Property(a => a.ContextJson).HasConversion(v => v!.ToString(), s => JsonText.From(s));

        // The idempotency key is a unique index, not check-then-insert: concurrent retries cannot both land.
        b.HasIndex(a => new { a.ClientName, a.IdempotencyKey }).IsUnique();
        // An account's appeals are found by their requester key ("account:" + id, which every appeal with
        // an account id has): a second index on the account id cost a random page write per appeal.
        b.HasIndex(a => new { a.RequesterKey, a.CreatedAt });
        b.HasIndex(a => new { a.TextFingerprint, a.CreatedAt });
        // Only the deferred queue's few appeals, in the order they are admitted (DeferredQueries): the
        // appeals decided at once — nearly all — no longer each add an entry on the writer.
        b.HasIndex(a => new { a.Priority, a.ReceivedAt, a.AppealId }, DeferredQueries.IndexName).HasFilter("\"AwaitingAdmission\"");
        b.HasIndex(a => new { a.Outcome, a.CreatedAt });
        // A ticket's appeals: decided onto it, or admitted to it from the deferred queue (TicketAppeals). Only
        // appeals with a ticket have an entry: the ones turned away — about half — add none on the writer.
        b.HasIndex(a => a.TicketId).HasFilter("\"TicketId\" IS NOT NULL");
        b.HasIndex(a => a.AdmittedTicketId).HasFilter("\"AdmittedTicketId\" IS NOT NULL");
        b.HasIndex(a => a.CreatedAt);
    }
}
