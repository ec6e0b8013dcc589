namespace Otklik.Application.Documents;

public enum DocumentKind
{
    Claim,
    RegulatorComplaint,
}

public enum BlockKind
{
    Title,
    Heading,
    Paragraph,
    Item,
    Signature,
}

/// <summary>One block of a printable document; the HTML and PDF renderers lay out the same blocks.</summary>
public sealed record DocumentBlock(BlockKind Kind, string Text);

/// <summary>A claim letter or a regulator complaint, ready to print.</summary>
public sealed record ClaimDocument(DocumentKind Kind, string Title, string FileName, IReadOnlyList<DocumentBlock> Blocks);
