using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Documents.Processing;
using MotCua.FunctionApp.Forms;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// What each history entry's action is called, in Vietnamese and English: the workflow's actions and
/// the entries the system records itself (submission, intake, document checks and additions, apology).
/// </summary>
public static class HistoryActionNames
{
    public const string Submitted = "submitted";

    public static (string Vietnamese, string English) Of(string action) => action switch
    {
        Submitted => ("Nộp hồ sơ", "Submitted"),
        DocumentIntake.Action => ("Nhận đủ tài liệu, đăng ký hồ sơ", "Documents received, dossier registered"),
        RecordOutcomeFunction.Action => ("Kiểm tra tài liệu", "Document checked"),
        DocumentAdditions.AddedAction => ("Bổ sung tài liệu", "Document added"),
        DossierApologies.Action => ("Xin lỗi và hẹn lại ngày trả kết quả", "Apology and new date for the result"),
        Correspondence.Incoming.DirectionStatement.Action => ("Chỉ đạo xử lý văn bản đến", "Direction of incoming documents"),
        _ when DossierActionNames.TryParse(action, out var a) => (a.Vietnamese(), a.English()),
        _ => ("Cập nhật hồ sơ", "Dossier updated"),
    };
}
