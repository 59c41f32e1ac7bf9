using System.Diagnostics.CodeAnalysis;

namespace MotCua.Domain.Correspondence;

/// <summary>MotCua's identifier of an outgoing document: <c>OUT-{agency}-{yyMMdd}-{6 letters or digits}</c>, the issuing agency and the day it was drafted.</summary>
public readonly record struct OutgoingDocumentId(string Agency, DateOnly Drafted, string Random)
{
    private const string Prefix = "OUT-";

    public override string ToString() => CorrespondenceIds.Format(Prefix, Agency, Drafted, Random);

    public static OutgoingDocumentId New(string agency, DateOnly drafted) => new(agency, drafted, CorrespondenceIds.Random());

    public static bool TryParse(string? text, [NotNullWhen(true)] out OutgoingDocumentId? id)
    {
        id = CorrespondenceIds.TryParse(text, Prefix, out var agency, out var day, out var random) ? new OutgoingDocumentId(agency, day, random) : null;
        return id is not null;
    }
}
