using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;

namespace MotCua.FunctionApp.Demo;

/// <summary>
/// Units, procedures and users for trying MotCua locally: a province with a department and two
/// communes, a few plausible procedures, and one user per role with a locally signed token.
/// </summary>
public sealed class DemoData(ProcedureCatalog catalog, LocalTokens tokens, IConfiguration configuration)
{
    public const string Province = "000.00.00.H56";
    public const string JusticeDepartment = "000.00.12.H56";
    public const string EnvironmentDepartment = "000.00.15.H56";
    public const string NhaTrangWard = "000.20.30.H56";
    public const string CamLamCommune = "000.21.31.H56";

    public static readonly IReadOnlyList<Unit> Units =
    [
        new(Province, "Ủy ban nhân dân tỉnh Khánh Hòa", null),
        new(JusticeDepartment, "Sở Tư pháp", Province),
        new(EnvironmentDepartment, "Sở Nông nghiệp và Môi trường", Province),
        new(NhaTrangWard, "Ủy ban nhân dân phường Nha Trang", Province),
        new(CamLamCommune, "Ủy ban nhân dân xã Cam Lâm", Province),
    ];

    public static readonly IReadOnlyList<Procedure> Procedures =
    [
        new("1.001193", "Đăng ký khai sinh", "Hộ tịch", [NhaTrangWard, CamLamCommune], 1),
        new("1.000656", "Đăng ký kết hôn", "Hộ tịch", [NhaTrangWard, CamLamCommune], 5),
        new("2.000889", "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", [NhaTrangWard, CamLamCommune], 3),
        new("1.000894", "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp", [JusticeDepartment], 10),
        new("1.004227", "Đăng ký đất đai, tài sản gắn liền với đất lần đầu", "Đất đai", [EnvironmentDepartment, NhaTrangWard, CamLamCommune], 20),
    ];

    public static readonly IReadOnlyList<CurrentUser> Users =
    [
        new("citizen-001", "Nguyễn Thị Hoa", Roles.Citizen, null),
        new("clerk-001", "Trần Văn Minh", Roles.Clerk, NhaTrangWard),
        new("specialist-001", "Phạm Thu Trang", Roles.Specialist, NhaTrangWard),
        new("chairman-001", "Lê Văn Hùng", Roles.Chairman, NhaTrangWard),
        new("admin-001", "Đỗ Quang Huy", Roles.Admin, null),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var unit in Units) await catalog.UpsertUnitAsync(unit, cancellationToken);
        foreach (var procedure in Procedures) await catalog.UpsertProcedureAsync(procedure, cancellationToken);
    }

    /// <summary>Seeds, then prints (and writes to Demo:TokensFile, when set) a token per demo user as shell exports.</summary>
    public async Task SeedAndPrintAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await SeedAsync(cancellationToken);
        var exports = Users.Select(u => $"export {u.Role.ToUpperInvariant()}_TOKEN={tokens.Issue(u, TimeSpan.FromDays(7))}").ToList();
        await output.WriteLineAsync($"Demo data: {Units.Count} units, {Procedures.Count} procedures. Tokens (valid 7 days):");
        foreach (var line in exports) await output.WriteLineAsync(line);
        if (configuration["Demo:TokensFile"] is { Length: > 0 } file)
        {
            await File.WriteAllLinesAsync(file, exports, cancellationToken);
            await output.WriteLineAsync($"Also written to {file}: source it in another shell.");
        }
    }
}
