using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>The refusals of incoming correspondence.</summary>
public static class IncomingProblems
{
    public static ProblemException BadId(string id) => new(400, "bad-incoming-id", "Mã văn bản đến không hợp lệ", "The incoming document id is malformed",
        $"'{id}' không phải mã văn bản đến (IN-<mã cơ quan>-<yyMMdd>-<6 ký tự>).", $"'{id}' is not an incoming document id (IN-<agency>-<yyMMdd>-<6 characters>).");

    public static ProblemException IfMatchRequired() => new(428, "if-match-required", "Thiếu phiên bản văn bản (If-Match)", "If-Match is required",
        "Gửi If-Match với ETag nhận được khi xem văn bản, để không ghi đè thay đổi của người khác.",
        "Send If-Match with the ETag of the document you looked at, so nobody's change is overwritten.");

    public static ProblemException NotFound(string id) => new(404, "incoming-not-found", "Không tìm thấy văn bản đến", "Incoming document not found",
        $"Không có văn bản đến {id}, hoặc bạn không được xem.", $"There is no incoming document {id}, or you may not see it.");

    public static ProblemException Changed(int current) => new(412, "incoming-changed", "Văn bản đã được người khác thay đổi", "The document was changed by someone else",
        $"Phiên bản hiện tại là {current}. Xem lại văn bản rồi thực hiện lại.", $"The current version is {current}. Look at the document again, then retry.",
        new Dictionary<string, object?> { ["currentVersion"] = current });

    public static ProblemException StepNotAllowed(IncomingStatus status, string stepVi, string stepEn) => new(409, "incoming-step-not-allowed",
        "Không thực hiện được bước này lúc này", "This step is not allowed now",
        $"Văn bản đang ở trạng thái \"{status.Name()}\": không thể {stepVi}.", $"The document is {status}: it cannot be {stepEn}.",
        new Dictionary<string, object?> { ["documentStatus"] = status.Code() });

    public static ProblemException AlreadyReceived(string sourceId) => new(409, "incoming-already-received", "Văn bản đã được nhận", "The document was received already",
        $"Văn bản {sourceId} đã đến cơ quan này.", $"Document {sourceId} has already arrived at this agency.");

    public static ProblemException SignaturesNotChecked() => new(409, "incoming-signatures-not-checked", "Chưa kiểm tra xong chữ ký số", "The signatures are still being checked",
        "Văn bản đang được kiểm tra chữ ký số và nhận dạng chữ; thử lại sau ít giây.", "The document's signatures and text are still being checked; retry in a few seconds.");

    public static ProblemException SignatureInvalid(string verdict) => new(422, "incoming-signature-invalid", "Chữ ký số của văn bản không hợp lệ", "The document's signature is not valid",
        "Văn bản điện tử có chữ ký số không hợp lệ không được vào sổ: trả lại nơi gửi kèm lý do.",
        $"An electronic document whose signature is {verdict} is not registered: return it to the sender with a reason.");

    public static ProblemException SecretContent() => new(422, "secret-content-refused", "Không lưu nội dung văn bản mật", "Secret content is not kept",
        "Văn bản mật chỉ được vào sổ thông tin (số, ngày, nơi gửi, trích yếu), không gửi tệp, không qua mạng liên thông.",
        "A secret document is registered by its metadata only (number, date, sender, summary): no files, never through the exchange.");

    /// <summary>A recalled document takes no more steps: the step is not allowed, and the detail says why.</summary>
    public static ProblemException Recalled(IncomingDocumentEntity d) => new(409, "incoming-step-not-allowed", "Văn bản đã bị thu hồi", "The document was recalled",
        $"Cơ quan gửi đã thu hồi văn bản này: {d.RecallReason}", $"The sender recalled this document: {d.RecallReason}",
        new Dictionary<string, object?> { ["documentStatus"] = d.State.Code() });

    public static ProblemException UnknownHandler(string who) => new(422, "unknown-handler", "Không có người hoặc đơn vị xử lý này", "No such handler",
        $"'{who}' không phải cán bộ hoặc phòng, ban của cơ quan.", $"'{who}' is not an official or a department of the agency.",
        new Dictionary<string, object?> { ["handler"] = who });
}
