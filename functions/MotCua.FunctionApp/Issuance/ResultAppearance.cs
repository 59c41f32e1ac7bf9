using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using MotCua.Signing;

namespace MotCua.FunctionApp.Issuance;

/// <summary>What the signatures on a result show, and where.</summary>
public sealed class ResultAppearance
{
    public Task<PlacedDrawing?> PersonAsync(DossierEntity dossier, CurrentUser signer, Stream source, CancellationToken cancellationToken) =>
        Task.FromResult<PlacedDrawing?>(null);

    public Task<IReadOnlyList<PlacedDrawing>> CheckMarkAsync(string checkId, Stream source, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlacedDrawing>>([]);

    public Task<PlacedDrawing?> SealAsync(ResultEntity result, Stream source, CancellationToken cancellationToken) =>
        Task.FromResult<PlacedDrawing?>(null);
}
