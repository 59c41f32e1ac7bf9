namespace MotCua.Domain.Dossiers;

/// <summary>A move from one status to another, with the action that caused it.</summary>
public sealed record StatusChange(DossierStatus From, DossierStatus To, string Action, string Comment);
