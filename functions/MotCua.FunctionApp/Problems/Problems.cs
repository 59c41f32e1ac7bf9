using System.Globalization;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.Domain.Workflow;

namespace MotCua.FunctionApp.Problems;

/// <summary>Every refusal the API gives, in one place, in both languages.</summary>
public static class Problems
{
    public const string UnsupportedMediaTypeType = "https://motcua.vn/problems/unsupported-media-type";

    public static ProblemException NotMultipart() => new(415, "unsupported-media-type",
        "Yêu cầu phải là multipart/form-data", "The request must be multipart/form-data",
        "Gửi phần 'dossier' (JSON) trước, rồi các phần 'document' (tệp).", "Send the 'dossier' part (JSON) first, then the 'document' parts (files).");

    public static ProblemException MalformedMultipart(string reason) => new(400, "malformed-multipart",
        "Nội dung multipart không hợp lệ", "The multipart body is malformed", reason, reason);

    public static ProblemException DossierPartFirst() => new(400, "dossier-part-first",
        "Thiếu phần 'dossier' ở đầu", "The 'dossier' part must come first",
        "Phần JSON 'dossier' phải đứng trước mọi tệp để hồ sơ được kiểm tra trước khi tải tài liệu lên.",
        "The JSON 'dossier' part must precede every file, so the dossier is checked before any document is stored.");

    public static ProblemException MalformedRequest(string detail) => new(400, "malformed-request",
        "Yêu cầu không hợp lệ", "The request is malformed", detail, detail);

    public static ProblemException BadParameter(string? name) => name is null
        ? new(400, "malformed-request", "Yêu cầu không hợp lệ", "The request is malformed",
            "Một tham số của yêu cầu bị thiếu hoặc không đúng định dạng.", "A parameter of the request is missing or badly formed.")
        : new(400, "malformed-request", "Yêu cầu không hợp lệ", "The request is malformed",
            $"Tham số '{name}' bị thiếu hoặc không đúng định dạng.", $"The parameter '{name}' is missing or badly formed.",
            new Dictionary<string, object?> { ["parameter"] = name });

    public static ProblemException MalformedJson(string detail) => new(400, "malformed-json",
        "JSON không hợp lệ", "Malformed JSON", detail, detail);

    /// <summary>
    /// A JSON body the serializer could not read, named by the JSON path of the first thing that failed.
    /// The serializer's own message names .NET types, so it stays in the logs and out of the answer.
    /// </summary>
    public static ProblemException UnreadableJson(System.Text.Json.JsonException e)
    {
        var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        return field is null
            ? new(400, "malformed-json", "JSON không hợp lệ", "Malformed JSON",
                $"Nội dung JSON không đọc được (dòng {e.LineNumber + 1}): sai cú pháp, sai kiểu hoặc thiếu trường bắt buộc.",
                $"The JSON cannot be read (line {e.LineNumber + 1}): bad syntax, a value of the wrong type or a required field missing.",
                new Dictionary<string, object?> { ["field"] = null })
            : new(400, "malformed-json", "JSON không hợp lệ", "Malformed JSON",
                $"Trường '{field}' không hợp lệ: không có trong mẫu, sai kiểu giá trị, hoặc thiếu trường bắt buộc bên trong.",
                $"The field '{field}' is not valid: it is not part of the form, its value has the wrong type, or a required field inside it is missing.",
                new Dictionary<string, object?> { ["field"] = field });
    }

    public static ProblemException NotJson() => new(415, "unsupported-media-type",
        "Nội dung phải là JSON", "The body must be JSON",
        "Gửi nội dung với Content-Type: application/json.", "Send the body with Content-Type: application/json.");

    public static ProblemException BodyTooLarge(int maxBytes) => new(413, "request-too-large",
        "Yêu cầu quá lớn", "The request is too large",
        $"Nội dung JSON tối đa {maxBytes} byte.", $"The JSON body has at most {maxBytes} bytes.",
        new Dictionary<string, object?> { ["maxBytes"] = maxBytes });

    public static ProblemException BodyNotReadable(long line, long position) => new(400, "malformed-json",
        "JSON không hợp lệ", "Malformed JSON",
        $"Nội dung không phải JSON hợp lệ (dòng {line + 1}, vị trí {position + 1}).", $"The body is not valid JSON (line {line + 1}, position {position + 1}).");

    public static ProblemException BodyRequired() => new(400, "body-required",
        "Thiếu nội dung yêu cầu", "The request needs a body",
        "Gửi nội dung JSON (application/json).", "Send a JSON body (application/json).");

    public static ProblemException UnknownMember(string member) => new(400, "unknown-member",
        "Trường không được hỗ trợ", "Unknown member",
        $"Nội dung có trường '{member}' không được hỗ trợ; hãy bỏ trường này.", $"The body has a member '{member}' that is not supported; leave it out.",
        new Dictionary<string, object?> { ["member"] = member });

    public static ProblemException WrongMemberValue(string member) => new(400, "invalid-member-value",
        "Giá trị không đúng kiểu", "A value has the wrong type",
        member.Length == 0 ? "Nội dung phải là một đối tượng JSON." : $"Giá trị của '{member}' không đúng kiểu hay định dạng.",
        member.Length == 0 ? "The body must be a JSON object." : $"The value of '{member}' has the wrong type or format.",
        new Dictionary<string, object?> { ["member"] = member });

    public static ProblemException TooManyLookups(TimeSpan retryAfter) => new(429, "too-many-lookups", "Tra cứu quá nhiều lần", "Too many lookups",
        $"Vui lòng thử lại sau {ProblemExceptionHandler.RetryAfterSeconds(retryAfter)} giây.", $"Please try again in {ProblemExceptionHandler.RetryAfterSeconds(retryAfter)} seconds.")
    { RetryAfter = retryAfter };

    public static ProblemException LookupPinTriesSlowed(TimeSpan retryAfter) => new(429, "lookup-pin-tries-slowed",
        "Mã tra cứu của hồ sơ này đã bị nhập sai nhiều lần", "Wrong PINs were tried for this dossier too often",
        $"Để bảo vệ hồ sơ, lần thử tiếp theo chỉ được kiểm tra sau {ProblemExceptionHandler.RetryAfterSeconds(retryAfter)} giây. Mã tra cứu đúng vẫn dùng được sau thời gian chờ.",
        $"To protect the dossier, the next try is checked only after {ProblemExceptionHandler.RetryAfterSeconds(retryAfter)} seconds. The right PIN still works after the wait.")
    { RetryAfter = retryAfter };

    public static ProblemException InvalidFields(IReadOnlyList<FieldError> errors) => new(400, "invalid-fields",
        "Dữ liệu không hợp lệ", "Some fields are not valid",
        string.Join(" ", errors.Select(e => e.Vietnamese)), string.Join(" ", errors.Select(e => e.English)),
        new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { field = e.Field, vi = e.Vietnamese, en = e.English }).ToList() });

    public static ProblemException UnknownProcedure(string code) => new(422, "unknown-procedure",
        "Thủ tục không tồn tại", "Unknown procedure",
        $"Không có thủ tục mã '{code}' trong danh mục.", $"The catalogue has no procedure '{code}'.",
        new Dictionary<string, object?> { ["procedureCode"] = code });

    public static ProblemException UnitNotReceiving(string unit, string procedure) => new(422, "unit-not-receiving",
        "Đơn vị không tiếp nhận thủ tục này", "This unit does not receive this procedure",
        $"Đơn vị '{unit}' không tiếp nhận thủ tục '{procedure}'.", $"Unit '{unit}' does not receive procedure '{procedure}'.");

    public static ProblemException UnexpectedPart(string name) => new(400, "unexpected-part",
        "Phần không được hỗ trợ", "Unexpected part",
        $"Phần '{name}' không được hỗ trợ; chỉ có 'dossier' và 'document'.", $"Part '{name}' is not supported; only 'dossier' and 'document' are.");

    public static ProblemException BadFileName() => new(400, "bad-file-name",
        "Tên tệp không hợp lệ", "The file name is not acceptable",
        "Tên tệp bắt buộc, tối đa 255 ký tự, không chứa đường dẫn (/ \\ :), ngắt dòng, ký tự điều khiển hay ký tự ẩn (đổi hướng chữ, độ rộng bằng không, U+FFFE…).",
        "A file name is required, at most 255 characters, without paths (/ \\ :), line breaks, control or invisible characters (bidirectional, zero-width, U+FFFE…).",
        new Dictionary<string, object?> { ["field"] = "filename" });

    public static ProblemException UnsupportedDocumentType(string fileName) => new(415, "unsupported-document-type",
        "Loại tệp không được hỗ trợ", "The file type is not supported",
        $"Nội dung tệp '{fileName}' không phải PDF, PNG, JPEG, TIFF hay chữ ký số .p7s (kiểm tra theo nội dung, không theo tên).",
        $"The content of '{fileName}' is not a PDF, PNG, JPEG, TIFF or .p7s signature (judged by its bytes, not its name).");

    public static ProblemException UnknownComponent(string component, int count) => new(422, "unknown-component",
        "Thành phần hồ sơ không tồn tại", "Unknown document component",
        $"Thủ tục có các thành phần 1 đến {count}; không có thành phần '{component}'.",
        $"The procedure has components 1 to {count}; there is no component '{component}'.",
        new Dictionary<string, object?> { ["components"] = count });

    public static ProblemException DocumentNotFound(string id) => new(404, "document-not-found",
        "Không tìm thấy tài liệu", "Document not found", $"Hồ sơ không có tài liệu '{id}'.", $"The dossier has no document '{id}'.");

    public static ProblemException DossierClosed(DossierStatus status) => new(409, "dossier-closed",
        "Hồ sơ đã kết thúc", "The dossier is closed",
        $"Hồ sơ ở trạng thái {(int)status} không nhận thêm tài liệu.", $"A dossier in status {(int)status} takes no more documents.");

    public static ProblemException UploadNotFinished(string reason) => new(409, "upload-not-finished",
        "Tệp chưa được tải lên đầy đủ", "The upload is not complete", reason, reason);

    public static ProblemException UploadMismatch(string vi, string en) => new(422, "upload-mismatch",
        "Tệp tải lên không khớp", "The uploaded file does not match", vi, en);

    public static ProblemException UploadExpired() => new(410, "upload-expired",
        "Hết hạn tải lên", "The upload has expired",
        "Thời hạn tải tệp đã qua; hãy xin địa chỉ tải lên mới.", "The time to upload has passed; ask for a new upload address.");

    public static ProblemException EmptyFile(string fileName) => new(400, "empty-file",
        "Tệp rỗng", "The file is empty", $"Tệp '{fileName}' không có nội dung.", $"'{fileName}' has no content.");

    public static ProblemException FileTooLarge(long limit) => new(413, "file-too-large",
        "Tệp quá lớn", "The file is too large",
        $"Mỗi tệp tối đa {limit} byte.", $"Each file may have at most {limit} bytes.",
        new Dictionary<string, object?> { ["maxBytes"] = limit });

    public static ProblemException RequestTooLarge() => new(413, "request-too-large",
        "Yêu cầu quá lớn", "The request is too large");

    public static ProblemException NoDocument() => new(400, "no-document",
        "Thiếu tài liệu", "No document", "Hồ sơ cần ít nhất một tệp 'document'.", "A dossier needs at least one 'document' file.");

    public static ProblemException TooManyDocuments(int max) => new(400, "too-many-documents",
        "Quá nhiều tài liệu", "Too many documents", $"Tối đa {max} tệp mỗi lần nộp.", $"At most {max} files per submission.");

    public static ProblemException BadDossierCode(string code) => new(400, "bad-dossier-code",
        "Mã hồ sơ không hợp lệ", "Malformed dossier code",
        $"'{code}' không có dạng <mã đơn vị>-<YYMMDD>-<NNNN>.", $"'{code}' is not of the form <agency code>-<YYMMDD>-<NNNN>.");

    public static ProblemException DossierNotFound(string code) => new(404, "dossier-not-found",
        "Không tìm thấy hồ sơ", "Dossier not found", $"Không có hồ sơ '{code}'.", $"There is no dossier '{code}'.");

    public static ProblemException Forbidden(string vi, string en) => new(403, "forbidden",
        "Không có quyền", "Forbidden", vi, en);

    public static ProblemException UnknownQueue(string queue) => new(404, "unknown-queue",
        "Hàng đợi không tồn tại", "Unknown queue", $"Không có hàng đợi '{queue}'.", $"There is no queue '{queue}'.");

    public static ProblemException ActionNotAllowedNow(DossierStatus status, IReadOnlyList<string> allowed) => new(409, "action-not-allowed-now",
        "Thao tác không phù hợp với trạng thái hồ sơ", "The action does not fit the dossier's status",
        $"Hồ sơ đang ở trạng thái '{status.Vietnamese()}'. Thao tác được phép lúc này: {(allowed.Count == 0 ? "không có" : string.Join(", ", allowed))}.",
        $"The dossier is '{status.English()}'. Actions allowed now: {(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}.",
        new Dictionary<string, object?> { ["currentStatus"] = new { code = (int)status, name = status.Vietnamese(), nameEn = status.English() }, ["allowedActions"] = allowed });

    public static ProblemException UnknownAction(string action) => new(404, "unknown-action",
        "Thao tác không tồn tại", "Unknown action", $"Không có thao tác '{action}'.", $"There is no action '{action}'.");

    public static ProblemException PreconditionRequired() => new(428, "if-match-required",
        "Thiếu phiên bản hồ sơ (If-Match)", "If-Match is required",
        "Gửi If-Match với ETag nhận được khi xem hồ sơ, để không ghi đè thay đổi của người khác.",
        "Send If-Match with the ETag of the dossier you looked at, so nobody's change is overwritten.");

    public static ProblemException VersionConflict(int current) => new(412, "dossier-changed",
        "Hồ sơ đã được người khác thay đổi", "The dossier was changed by someone else",
        $"Phiên bản hiện tại là {current}. Xem lại hồ sơ rồi thực hiện lại.", $"The current version is {current}. Look at the dossier again, then retry.",
        new Dictionary<string, object?> { ["currentVersion"] = current });

    /// <param name="action">The chairman's decision that came unsigned (approve, send-back), as its code.</param>
    public static ProblemException SignatureRequired(string action)
    {
        var (vietnamese, english) = Dossiers.HistoryActionNames.Of(action);
        return new(400, "signature-required",
            "Thiếu chữ ký thiết bị", "A device signature is required",
            $"Thao tác '{vietnamese}' ({action}) là quyết định của chủ tịch, phải kèm chữ ký bằng khóa thiết bị đã đăng ký.",
            $"'{english}' ({action}) is the chairman's decision and carries a signature by a registered device key.",
            new Dictionary<string, object?> { ["action"] = action });
    }

    /// <summary>The request was applied already (a second tap, a resent request): the version it names has passed because of itself.</summary>
    public static ProblemException ActionAlreadyRecorded(DossierAction action, int requestVersion, HistoryEntry recorded, int current, bool signed) => new(412, "action-already-recorded",
        signed ? "Quyết định này đã được ghi nhận" : "Thao tác này đã được ghi nhận",
        signed ? "This decision has already been recorded" : "This action has already been recorded",
        $"'{action.Vietnamese()}' của bạn đã được ghi nhận lúc {Vietnamese(recorded.At)} (phiên bản {recorded.Sequence}); "
            + $"phiên bản {requestVersion} mà yêu cầu {(signed ? "đã ký" : "nêu")} không còn là phiên bản hiện tại ({current}). Không cần gửi lại.",
        $"Your '{action.English()}' was recorded at {English(recorded.At)} (version {recorded.Sequence}); "
            + $"the version {(signed ? "you signed" : "the request names")}, {requestVersion}, is no longer current ({current}). There is no need to send it again.",
        new Dictionary<string, object?> { ["currentVersion"] = current, ["recordedVersion"] = recorded.Sequence });

    /// <summary>A change recorded since the version the caller looked at, by someone else or by the system (a document check) or by the caller.</summary>
    public static ProblemException DossierChangedSince(int current, HistoryEntry? latest, bool bySomeoneElse)
    {
        var (vietnamese, english) = latest is null ? ("", "") : Dossiers.HistoryActionNames.Of(latest.Action);
        return new(412, "dossier-changed",
            bySomeoneElse ? "Hồ sơ đã được người khác thay đổi" : "Hồ sơ đã thay đổi sau khi bạn xem",
            bySomeoneElse ? "The dossier was changed by someone else" : "The dossier changed since you looked at it",
            $"Phiên bản hiện tại là {current}" + (latest is null ? "" : $" ('{vietnamese}' lúc {Vietnamese(latest.At)})") + ". Xem lại hồ sơ rồi thực hiện lại.",
            $"The current version is {current}" + (latest is null ? "" : $" ('{english}' at {English(latest.At)})") + ". Look at the dossier again, then retry.",
            new Dictionary<string, object?> { ["currentVersion"] = current });
    }

    private static string Vietnamese(DateTimeOffset at) => VietnamTime.Local(at).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string English(DateTimeOffset at) => VietnamTime.Local(at).ToString("HH:mm, d MMM yyyy", CultureInfo.InvariantCulture);

    public static ProblemException SignatureRefused(string vi, string en) => new(403, "signature-refused",
        "Chữ ký bị từ chối", "The signature is refused", vi, en);

    public static ProblemException DeviceCertificateRefused(string vi, string en) => new(422, "device-certificate-refused",
        "Chứng thư số của khóa bị từ chối", "The key's certificate is refused", vi, en);

    public static ProblemException UnknownUnit(string unit) => new(422, "unknown-unit",
        "Đơn vị không tồn tại", "Unknown unit", $"Không có đơn vị '{unit}'.", $"There is no unit '{unit}'.");

    public static ProblemException BadRequest(string field, string vi, string en) => InvalidFields([new FieldError(field, vi, en)]);
}
