using System.Text.Json;
using System.Text.Json.Serialization;
using MotCua.Domain.Dossiers;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>The JSON 'dossier' part of a submission.</summary>
public sealed record DossierForm(
    [property: JsonRequired] string ProcedureCode,
    [property: JsonRequired] string ReceivingUnit,
    [property: JsonRequired] ApplicantForm Applicant);

public sealed record ApplicantForm(
    [property: JsonRequired] string FullName,
    [property: JsonRequired] string IdNumber,
    string? Phone = null,
    string? Email = null,
    string? Address = null)
{
    public Applicant ToApplicant() => new(FullName, IdNumber, Phone, Email, Address);
}

public static class DossierFormJson
{
    /// <summary>Strict: unknown members, missing required members and nulls where none is allowed are refused.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
