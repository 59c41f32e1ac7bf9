using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Issuance;

/// <summary>The refusals of the result's way from draft to the citizen, and of the public check.</summary>
public static class ResultProblems
{
    public static ProblemException NoResult(string code) => new(404, "result-not-found", "Hồ sơ chưa có kết quả", "The dossier has no result",
        $"Hồ sơ {code} chưa có tệp kết quả.", $"Dossier {code} has no result file.");

    public static ProblemException NotSignable(string reasonEn) => new(422, "result-not-signable", "Tệp kết quả không ký số được", "The result cannot be signed",
        "Tệp kết quả phải là PDF đọc được, không mã hóa.", $"The result must be a readable, unencrypted PDF: {reasonEn}");

    public static ProblemException NotAPdf() => new(415, "unsupported-document-type", "Loại tệp không được hỗ trợ", "The file type is not supported",
        "Chỉ nhận tệp PDF (application/pdf).", "Only PDF files (application/pdf) are accepted.");

    public static ProblemException Locked(ResultStage stage) => new(409, "result-locked", "Kết quả đã được ký, không thay được", "The result is signed and cannot be replaced",
        $"Kết quả đang ở bước {Vietnamese(stage)}.", $"The result is {stage}.");

    public static ProblemException NotAttachableNow() => new(409, "result-not-attachable-now", "Chưa thể đính kèm kết quả", "A result cannot be attached now",
        "Chỉ chuyên viên đang xử lý hồ sơ đính kèm kết quả, trước khi trình phê duyệt.",
        "Only the specialist handling the dossier attaches its result, before submitting it for approval.");

    public static ProblemException ResultSignatureRequired() => new(422, "result-signature-required", "Thiếu chữ ký số trên kết quả", "The result's signature is missing",
        "Hồ sơ có kết quả cần ký: gửi resultSignature (preparationId và value) cùng quyết định phê duyệt.",
        "The dossier has a result to sign: send resultSignature (preparationId and value) with the approval.");

    public static ProblemException PreparationNotFound() => new(404, "signing-preparation-not-found", "Không tìm thấy phiên ký", "No such signing preparation",
        "Phiên ký không tồn tại, đã dùng hoặc không phải của bạn.", "The signing preparation does not exist, was used, or is not yours.");

    public static ProblemException PreparationExpired() => new(410, "signing-preparation-expired", "Phiên ký đã hết hạn", "The signing preparation expired",
        "Chuẩn bị ký lại rồi ký trong thời hạn.", "Prepare the signature again and sign it in time.");

    public static ProblemException ResultChanged() => new(409, "result-changed", "Kết quả đã thay đổi", "The result changed",
        "Tệp kết quả đã thay đổi sau khi chuẩn bị ký: chuẩn bị ký lại.", "The result changed after the signature was prepared: prepare again.");

    public static ProblemException CertificateRequired() => new(422, "device-certificate-required", "Khóa thiết bị chưa có chứng thư số", "The device key has no certificate",
        "Đăng ký lại khóa thiết bị kèm chứng thư số để ký văn bản.", "Register the device key again with its certificate to sign documents.");

    public static ProblemException NotIssued(ResultStage stage) => new(409, "result-not-issued", "Kết quả chưa được ban hành", "The result is not issued",
        $"Kết quả đang ở bước {Vietnamese(stage)}.", $"The result is {stage}.");

    public static ProblemException CheckNotFound() => new(404, "document-check-not-found", "Không tìm thấy văn bản", "No such document",
        "Mã kiểm tra không ứng với văn bản nào đã ban hành.", "The check id matches no issued document.");

    public static string Vietnamese(ResultStage stage) => stage switch
    {
        ResultStage.Draft => "dự thảo, chưa ký",
        ResultStage.PersonSigned => "đã có chữ ký của người có thẩm quyền, chờ ký số của cơ quan",
        ResultStage.Issued => "đã ban hành",
        ResultStage.Cancelled => "đã hủy",
        _ => stage.ToString(),
    };
}
