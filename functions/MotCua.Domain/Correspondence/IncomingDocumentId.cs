using System.Diagnostics.CodeAnalysis;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// MotCua's own identifier of an incoming document: <c>IN-{agency}-{yyMMdd}-{6 letters or digits}</c>,
/// the receiving agency, the day it arrived and a random part. It is never confused with a dossier code.
/// </summary>
public readonly record struct IncomingDocumentId(string Agency, DateOnly Arrived, string Random)
{
    private const string Prefix = "IN-";

    public override string ToString() => CorrespondenceIds.Format(Prefix, Agency, Arrived, Random);

    public static IncomingDocumentId New(string agency, DateOnly arrived) => new(agency, arrived, CorrespondenceIds.Random());

    public static bool TryParse(string? text, [NotNullWhen(true)] out IncomingDocumentId? id)
    {
        id = CorrespondenceIds.TryParse(text, Prefix, out var agency, out var day, out var random) ? new IncomingDocumentId(agency, day, random) : null;
        return id is not null;
    }
}
