using MotCua.FunctionApp.Auth;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;

namespace MotCua.FunctionApp.Demo;

/// <summary>
/// Units, procedures and users for trying MotCua locally: a province with a department and two
/// communes, a few plausible procedures, and one user per role with a locally signed token.
/// </summary>
public sealed class DemoData(ProcedureCatalog catalog, CalendarStore calendars, LocalTokens tokens, Notifications.MemberDirectory members, IConfiguration configuration)
{
    public const string Province = "000.00.00.H56";
    public const string JusticeDepartment = "000.00.12.H56";
    public const string EnvironmentDepartment = "000.00.15.H56";
    public const string NhaTrangWard = "000.20.30.H56";
    public const string CamLamCommune = "000.21.31.H56";

    /// <summary>Departments of the ward (level-4 identifiers inside it), where its correspondence is handled.</summary>
    public const string CultureDepartment = "001.20.30.H56";
    public const string EconomyDepartment = "002.20.30.H56";

    public static readonly IReadOnlyList<Unit> Units =
    [
        new(Province, "Ủy ban nhân dân tỉnh Khánh Hòa", null, Abbreviation: "UBND"),
        new(JusticeDepartment, "Sở Tư pháp", Province, Abbreviation: "STP"),
        new(EnvironmentDepartment, "Sở Nông nghiệp và Môi trường", Province, Abbreviation: "SNNMT"),
        new(NhaTrangWard, "Ủy ban nhân dân phường Nha Trang", Province, Abbreviation: "UBND"),
        new(CamLamCommune, "Ủy ban nhân dân xã Cam Lâm", Province, Abbreviation: "UBND"),
        new(CultureDepartment, "Phòng Văn hóa - Xã hội", NhaTrangWard, IsDepartment: true, Abbreviation: "VHXH"),
        new(EconomyDepartment, "Phòng Kinh tế, Hạ tầng và Đô thị", NhaTrangWard, IsDepartment: true, Abbreviation: "KTHTĐT"),
    ];

    private static readonly WorkflowStep[] CommuneWorkflow =
    [
        new("Thụ lý, thẩm định hồ sơ", Roles.Specialist, null, 0.6m),
        new("Phê duyệt", Roles.Chairman, null, 0.2m),
        new("Trả kết quả", Roles.Clerk, null, 0.2m),
    ];

    public static readonly IReadOnlyList<Procedure> Procedures =
    [
        new("1.001193", 1, "Đăng ký khai sinh", "Hộ tịch", [NhaTrangWard, CamLamCommune],
            [new("Tờ khai đăng ký khai sinh", true, true, false), new("Giấy chứng sinh", true, true, false)], 1, 0, "full", CommuneWorkflow),
        new("1.000656", 1, "Đăng ký kết hôn", "Hộ tịch", [NhaTrangWard, CamLamCommune],
            [new("Tờ khai đăng ký kết hôn", true, true, false), new("Giấy xác nhận tình trạng hôn nhân", true, false, true)], 5, 0, "full", CommuneWorkflow),
        new("2.000889", 1, "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", [NhaTrangWard, CamLamCommune],
            [new("Giấy đề nghị đăng ký hộ kinh doanh", true, true, true)], 3, 100_000, "full", CommuneWorkflow),
        new("1.000894", 1, "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp", [JusticeDepartment],
            [new("Tờ khai yêu cầu cấp phiếu lý lịch tư pháp", true, true, false)], 10, 200_000, "partial", CommuneWorkflow),
        new("1.004227", 1, "Đăng ký đất đai, tài sản gắn liền với đất lần đầu", "Đất đai", [NhaTrangWard, CamLamCommune],
            [new("Đơn đăng ký đất đai", true, true, false), new("Giấy tờ về quyền sử dụng đất", false, true, true)], 20, 0, "partial",
            [
                new("Tiếp nhận, kiểm tra hiện trạng", Roles.Specialist, null, 0.3m),
                new("Thẩm định hồ sơ đất đai", Roles.Specialist, EnvironmentDepartment, 0.4m),
                new("Phê duyệt", Roles.Chairman, null, 0.15m),
                new("Trả kết quả", Roles.Clerk, null, 0.15m),
            ]),
    ];

    public static readonly IReadOnlyList<CurrentUser> Users =
    [
        new("citizen-001", "Nguyễn Thị Hoa", Roles.Citizen, null),
        new("clerk-001", "Trần Văn Minh", Roles.Clerk, NhaTrangWard),
        new("specialist-001", "Phạm Thu Trang", Roles.Specialist, NhaTrangWard),
        new("chairman-001", "Lê Văn Hùng", Roles.Chairman, NhaTrangWard, [Roles.Leader]),
        new("specialist-002", "Ngô Thanh Tâm", Roles.Specialist, EnvironmentDepartment),
        new("admin-001", "Đỗ Quang Huy", Roles.Admin, null),
        new("records-clerk-001", "Hoàng Thị Mai", Roles.RecordsClerk, NhaTrangWard),
        new("vice-chairman-001", "Nguyễn Văn Bình", Roles.DeputyLeader, NhaTrangWard),
        new("department-head-001", "Trần Thị Thu", Roles.DepartmentHead, CultureDepartment),
        new("officer-001", "Lê Minh Tuấn", Roles.Officer, CultureDepartment),
        new("officer-002", "Vũ Đức Anh", Roles.Officer, EconomyDepartment),
        new("records-clerk-002", "Đinh Thị Hạnh", Roles.RecordsClerk, CamLamCommune),
        new("leader-002", "Phan Văn Lộc", Roles.Leader, CamLamCommune),
        new("officer-003", "Đặng Thu Hà", Roles.Officer, CamLamCommune),
    ];

    /// <summary>
    /// A neighbouring agency on its own deployment (Demo:Profile "neighbour"): the province's Department of
    /// Home Affairs, which exchanges documents with the ward through the document exchange only.
    /// </summary>
    public const string HomeAffairsDepartment = "000.00.05.H56";
    public const string OrganisationDivision = "001.00.05.H56";

    public static readonly IReadOnlyList<Unit> NeighbourUnits =
    [
        new(HomeAffairsDepartment, "Sở Nội vụ tỉnh Khánh Hòa", null, Abbreviation: "SNV"),
        new(OrganisationDivision, "Phòng Tổ chức, biên chế", HomeAffairsDepartment, IsDepartment: true, Abbreviation: "TCBC"),
    ];

    public static readonly IReadOnlyList<CurrentUser> NeighbourUsers =
    [
        new("records-clerk-101", "Trịnh Thị Lan", Roles.RecordsClerk, HomeAffairsDepartment),
        new("leader-101", "Võ Minh Quang", Roles.Leader, HomeAffairsDepartment),
        new("department-head-101", "Lý Thu Hằng", Roles.DepartmentHead, OrganisationDivision),
        new("officer-101", "Huỳnh Ngọc Anh", Roles.Officer, OrganisationDivision),
    ];

    private bool Neighbour => configuration["Demo:Profile"] == "neighbour";

    /// <summary>2026 as announced: New Year, Tết (16–20 Feb on weekdays), Hùng Kings (observed 27 Apr), 30 Apr, 1 May, National Day (1–2 Sep).</summary>
    public static readonly CalendarYear Year2026 = new(2026,
        [
            new(new(2026, 1, 1), "Tết Dương lịch"),
            .. Enumerable.Range(16, 5).Select(d => new Holiday(new(2026, 2, d), "Tết Nguyên đán")),
            new(new(2026, 4, 27), "Giỗ Tổ Hùng Vương (nghỉ bù)"),
            new(new(2026, 4, 30), "Ngày Chiến thắng"),
            new(new(2026, 5, 1), "Ngày Quốc tế Lao động"),
            new(new(2026, 9, 1), "Quốc khánh"),
            new(new(2026, 9, 2), "Quốc khánh"),
        ],
        []);

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if ((await calendars.YearsAsync(cancellationToken)).All(y => y.Year != 2026)) await calendars.SaveAsync(Year2026, cancellationToken);
        if (Neighbour)
        {
            foreach (var unit in NeighbourUnits) await catalog.UpsertUnitAsync(unit, cancellationToken);
            foreach (var user in NeighbourUsers) await members.RecordAsync(user, cancellationToken);
            return;
        }
        foreach (var unit in Units) await catalog.UpsertUnitAsync(unit, cancellationToken);
        foreach (var procedure in Procedures)
        {
            if (await catalog.FindProcedureAsync(procedure.Code, cancellationToken) is null)
                await catalog.PublishAsync(procedure, expectedVersion: 0, cancellationToken);
        }
        // The demo officials belong to their units before they first sign in, so notifications reach them at once.
        foreach (var user in Users) await members.RecordAsync(user, cancellationToken);
    }

    /// <summary>Seeds, then prints (and writes to Demo:TokensFile, when set) a token per demo user as shell exports.</summary>
    public async Task SeedAndPrintAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await SeedAsync(cancellationToken);
        var exports = (Neighbour ? NeighbourUsers : Users).Select(u => $"export {u.Id.ToUpperInvariant().Replace("-001", "", StringComparison.Ordinal).Replace('-', '_')}_TOKEN={tokens.Issue(u, TimeSpan.FromDays(7))}").ToList();
        await output.WriteLineAsync(Neighbour ? $"Demo data: {NeighbourUnits.Count} units of the neighbouring agency. Tokens (valid 7 days):"
            : $"Demo data: {Units.Count} units, {Procedures.Count} procedures. Tokens (valid 7 days):");
        foreach (var line in exports) await output.WriteLineAsync(line);
        if (configuration["Demo:TokensFile"] is { Length: > 0 } file)
        {
            await File.WriteAllLinesAsync(file, exports, cancellationToken);
            await output.WriteLineAsync($"Also written to {file}: source it in another shell.");
        }
    }
}
