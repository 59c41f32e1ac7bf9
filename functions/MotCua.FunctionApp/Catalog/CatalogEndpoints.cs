using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.Domain.Units;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Catalog;

/// <summary>A procedure as an admin writes it; the version is assigned on publishing.</summary>
public sealed record ProcedureForm(
    string Name,
    string Field,
    IReadOnlyList<string> ReceivingUnits,
    IReadOnlyList<DocumentComponent> Components,
    decimal ProcessingDays,
    decimal Fee,
    string OnlineLevel,
    IReadOnlyList<WorkflowStep> Workflow);

public sealed record UnitForm(string Name, string? Parent, bool IsDepartment = false, string? Abbreviation = null);

/// <summary>The procedure catalogue and the unit tree: everyone signed in reads them, admins change them.</summary>
public static class CatalogEndpoints
{
    public static IServiceCollection AddCatalog(this IServiceCollection services) => services.AddSingleton<ProcedureCatalog>();

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        app.MapFunction("ListProcedures", new HttpTrigger("GET", "procedures"), async (ProcedureCatalog catalog, CancellationToken ct) =>
            TypedResults.Ok(await catalog.ListProceduresAsync(ct)))
            .WithSummary("List the procedures")
            .WithDescription("The current version of every administrative procedure in the catalogue: its components, processing days, fee and workflow.");
        app.MapFunction("GetProcedure", new HttpTrigger("GET", "procedures/{code}"), GetProcedureAsync).ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.UnknownProcedure)
            .WithSummary("Read a procedure")
            .WithDescription("The current version of a procedure, or ?version=N.");
        app.MapFunction("PublishProcedure", new HttpTrigger("PUT", "procedures/{code}"), PublishAsync).RequireAuthorization(AuthRegistration.AdminPolicy)
            .Accepts<ProcedureForm>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, ProblemTypes.InvalidFields, ProblemTypes.ProcedureChanged])
            .WithSummary("Publish a procedure")
            .WithDescription("Publish the next version of a procedure; If-Match: the version you edited (\"0\" for a new procedure).");
        app.MapFunction("ListUnits", new HttpTrigger("GET", "units"), async (ProcedureCatalog catalog, CancellationToken ct) =>
            TypedResults.Ok((await catalog.UnitsAsync(ct)).Values.OrderBy(u => u.AgencyCode, StringComparer.Ordinal).ToList()))
            .WithSummary("List the units")
            .WithDescription("Every administrative unit in the catalogue, ordered by agency code, with its parent.");
        app.MapFunction("PutUnit", new HttpTrigger("PUT", "units/{code}"), PutUnitAsync).RequireAuthorization(AuthRegistration.AdminPolicy)
            .Accepts<UnitForm>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, ProblemTypes.InvalidFields, ProblemTypes.UnknownUnit])
            .WithSummary("Create or rename a unit")
            .WithDescription("Admins only. Creates the unit with this agency code, or changes its name or parent; an unknown parent is refused (422).");
        return app;
    }

    private static async Task<Ok<Procedure>> GetProcedureAsync(string code, int? version, ProcedureCatalog catalog, CancellationToken cancellationToken)
    {
        var procedure = ProcedureCatalog.IsValidCode(code)
            ? version is { } v ? await catalog.FindVersionAsync(code, v, cancellationToken) : await catalog.FindProcedureAsync(code, cancellationToken)
            : null;
        return TypedResults.Ok(procedure ?? throw UnknownProcedure(code));
    }

    private static async Task<Ok<Procedure>> PublishAsync(string code, HttpRequest request, ProcedureCatalog catalog, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<ProcedureForm>(request, JsonBody.CatalogueFormBytes, cancellationToken);
        var errors = new List<FieldError>();
        if (form.ReceivingUnits?.Any(u => u is null) == true || form.Workflow?.Any(s => s is null) == true || form.Components?.Any(c => c is null) == true)
            throw BadRequest("procedure", "Danh sách không được chứa phần tử rỗng (null).", "Lists may not contain null entries.");
        if (!ProcedureCatalog.IsValidCode(code)) errors.Add(ProcedureCatalog.CodeError("code"));
        errors.AddRange(UnsafeTexts(form));
        if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Length > 500) errors.Add(new("name", "Tên thủ tục bắt buộc, tối đa 500 ký tự.", "A name is required, at most 500 characters."));
        var units = await catalog.UnitsAsync(cancellationToken);
        if (form.ReceivingUnits is not { Count: > 0 } || form.ReceivingUnits.Any(u => !units.ContainsKey(u)))
            errors.Add(new("receivingUnits", "Cần ít nhất một đơn vị tiếp nhận, đều có trong danh mục đơn vị.", "At least one receiving unit, each a known unit."));
        if (form.Workflow?.Any(s => s.Unit is not null && !units.ContainsKey(s.Unit)) == true)
            errors.Add(new("workflow", "Đơn vị của một bước không có trong danh mục.", "A step's unit is not a known unit."));
        if (form.ProcessingDays is <= 0 or > 365) errors.Add(new("processingDays", "Thời hạn giải quyết từ 0 đến 365 ngày làm việc.", "Processing time is over 0 and at most 365 working days."));
        if (form.Fee < 0) errors.Add(new("fee", "Lệ phí không âm.", "The fee is not negative."));
        if (form.OnlineLevel is not ("full" or "partial")) errors.Add(new("onlineLevel", "Mức trực tuyến là 'full' hoặc 'partial'.", "The online level is 'full' or 'partial'."));
        if (form.Components is null || form.Components.Any(c => string.IsNullOrWhiteSpace(c.Name)))
            errors.Add(new("components", "Mỗi thành phần hồ sơ có tên.", "Every document component has a name."));
        foreach (var problem in Workflows.Validate(form.Workflow ?? [])) errors.Add(new("workflow", problem, problem));
        if (errors.Count > 0) throw InvalidFields(errors);

        var expected = IfMatch.Version(request);
        try
        {
            return TypedResults.Ok(await catalog.PublishAsync(new Procedure(code, 0, form.Name.Trim(), form.Field?.Trim() ?? string.Empty, form.ReceivingUnits!,
                form.Components!, form.ProcessingDays, form.Fee, form.OnlineLevel, form.Workflow!), expected, cancellationToken));
        }
        catch (CatalogConflictException e)
        {
            throw new Problems.ProblemException(412, "procedure-changed", "Thủ tục đã được người khác cập nhật", "The procedure was changed by someone else",
                $"Phiên bản hiện tại là {e.CurrentVersion}.", $"The current version is {e.CurrentVersion}.",
                new Dictionary<string, object?> { ["currentVersion"] = e.CurrentVersion });
        }
    }

    /// <summary>The texts of a procedure that people read and forms print, each held to <see cref="SafeText"/>.</summary>
    private static IEnumerable<FieldError> UnsafeTexts(ProcedureForm form)
    {
        IEnumerable<FieldError?> checks =
        [
            SafeText.Check("name", form.Name),
            SafeText.Check("field", form.Field),
            .. (form.Components ?? []).Select((c, i) => SafeText.Check($"components[{i}].name", c.Name)),
            .. (form.Workflow ?? []).SelectMany((s, i) => new[] { SafeText.Check($"workflow[{i}].name", s.Name), SafeText.Check($"workflow[{i}].role", s.Role) }),
        ];
        return checks.OfType<FieldError>();
    }

    private static async Task<Ok<Unit>> PutUnitAsync(string code, HttpRequest request, ProcedureCatalog catalog, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<UnitForm>(request, JsonBody.SmallFormBytes, cancellationToken);
        if (!AgencyCodes.IsValid(code)) throw BadRequest("code", "Mã đơn vị (mã định danh QCVN 102) tối đa 35 ký tự chữ, số hoặc dấu chấm.", "A unit code (a QCVN 102 identifier) has at most 35 letters, digits or dots.");
        if (SafeText.Check("name", form.Name) is { } unsafeName) throw InvalidFields([unsafeName]);
        if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Length > 300) throw BadRequest("name", "Tên đơn vị bắt buộc.", "A unit name is required.");
        if (form.Parent is { } parent && (parent == code || !(await catalog.UnitsAsync(cancellationToken)).ContainsKey(parent))) throw UnknownUnit(parent);
        if (form.IsDepartment && form.Parent is null) throw BadRequest("parent", "Phòng, ban phải thuộc một cơ quan.", "A department belongs to an agency: give its parent.");
        if (form.Abbreviation is { } abbreviation && (abbreviation.Length is 0 or > 20 || !abbreviation.All(c => char.IsLetterOrDigit(c) || c == '.')))
            throw BadRequest("abbreviation", "Tên viết tắt tối đa 20 chữ cái hoặc chữ số.", "An abbreviation has at most 20 letters or digits.");
        var unit = new Unit(code, form.Name.Trim(), form.Parent, form.IsDepartment, form.Abbreviation);
        await catalog.UpsertUnitAsync(unit, cancellationToken);
        return TypedResults.Ok(unit);
    }
}
