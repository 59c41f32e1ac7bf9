using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>The refusals of outgoing correspondence.</summary>
public static class OutgoingProblems
{
    public static ProblemException BadId(string id) => new(400, "bad-outgoing-id", "Mã văn bản đi không hợp lệ", "The outgoing document id is malformed",
        $"'{id}' không phải mã văn bản đi (OUT-<mã cơ quan>-<yyMMdd>-<6 ký tự>).", $"'{id}' is not an outgoing document id (OUT-<agency>-<yyMMdd>-<6 characters>).");

    public static ProblemException NotFound(string id) => new(404, "outgoing-not-found", "Không tìm thấy văn bản đi", "Outgoing document not found",
        $"Không có văn bản đi {id}, hoặc bạn không được xem.", $"There is no outgoing document {id}, or you may not see it.");

    public static ProblemException Changed(int current) => new(412, "outgoing-changed", "Văn bản đã được người khác thay đổi", "The document was changed by someone else",
        $"Phiên bản hiện tại là {current}. Xem lại văn bản rồi thực hiện lại.", $"The current version is {current}. Look at the document again, then retry.",
        new Dictionary<string, object?> { ["currentVersion"] = current });

    public static ProblemException StepNotAllowed(OutgoingStatus status, string stepVi, string stepEn) => new(409, "outgoing-step-not-allowed",
        "Không thực hiện được bước này lúc này", "This step is not allowed now",
        $"Văn bản đang ở trạng thái \"{status.Name()}\": không thể {stepVi}.", $"The document is {status.Code()}: it cannot be {stepEn}.",
        new Dictionary<string, object?> { ["documentStatus"] = status.Code() });

    public static ProblemException DraftChanged() => new(409, "outgoing-draft-changed", "Dự thảo đã thay đổi", "The draft changed",
        "Dự thảo đã được sửa sau khi chuẩn bị ký: xem lại văn bản rồi ký lại.", "The draft changed after the signature was prepared: read it again, then sign again.");

    public static ProblemException NotSignable(string reasonEn) => new(422, "outgoing-not-signable", "Tệp văn bản không ký số được", "The document cannot be signed",
        "Tệp PDF của văn bản không ký số được (hỏng hoặc được bảo vệ).", $"The document's PDF cannot be signed: {reasonEn}");
}
