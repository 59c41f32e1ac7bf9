using System.Globalization;

namespace MotCua.Signing.Appearance;

/// <summary>How the signer signs for the agency or its head (Decree 30/2020/NĐ-CP, Article 13 and Appendix I).</summary>
public enum SigningAuthorityKind
{
    /// <summary>TM. — thay mặt: on behalf of a collective body (e.g. TM. ỦY BAN NHÂN DÂN).</summary>
    OnBehalfOf,

    /// <summary>KT. — ký thay: a deputy signing for the head (e.g. KT. CHỦ TỊCH).</summary>
    Deputy,

    /// <summary>TUQ. — thừa ủy quyền: signing under the head's written authorisation.</summary>
    Authorised,

    /// <summary>TL. — thừa lệnh: signing by order of the head.</summary>
    ByOrder,
}

/// <summary>The signing-authority line above the position, e.g. "TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ TỊCH".</summary>
public sealed record SigningAuthority(SigningAuthorityKind Kind, string Of)
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static string Abbreviation(SigningAuthorityKind kind) => kind switch
    {
        SigningAuthorityKind.OnBehalfOf => "TM.",
        SigningAuthorityKind.Deputy => "KT.",
        SigningAuthorityKind.Authorised => "TUQ.",
        SigningAuthorityKind.ByOrder => "TL.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads a competence line as edXML's SignerInfo carries it ("TL. BỘ TRƯỞNG").</summary>
    public static SigningAuthority Parse(string competence)
    {
        ArgumentNullException.ThrowIfNull(competence);
        var text = competence.Trim();
        foreach (var kind in Enum.GetValues<SigningAuthorityKind>())
        {
            var prefix = Abbreviation(kind);
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && text.Length > prefix.Length)
            {
                return new(kind, text[prefix.Length..].Trim());
            }
        }
        throw new FormatException($"'{competence}' does not start with TM., KT., TUQ. or TL.");
    }

    public override string ToString() => $"{Abbreviation(Kind)} {Of.Trim().ToUpper(Vietnamese)}";
}
