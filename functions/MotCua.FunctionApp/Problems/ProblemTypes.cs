namespace MotCua.FunctionApp.Problems;

/// <summary>An extension member a problem type carries beside the RFC 9457 members, as the API description states it.</summary>
public sealed record ProblemMember(string Name, string JsonType, string Description, bool Nullable = false, string? ItemsJsonType = null);

/// <summary>One kind of refusal: its <c>type</c> URI, status, titles and extension members.</summary>
public sealed record ProblemType(string Slug, int Status, string TitleVi, string TitleEn, params ProblemMember[] Members)
{
    public const string Base = "https://motcua.vn/problems/";

    public string Uri => Slug.StartsWith("https://", StringComparison.Ordinal) ? Slug : Base + Slug;

    /// <summary>The schema's name in the API description: <c>dossier-not-found</c> → <c>DossierNotFoundProblem</c>.</summary>
    public string SchemaName => string.Concat(Name.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Problem";

    private string Name => Slug.StartsWith("https://", StringComparison.Ordinal) ? StatusNames[Status] : Slug;

    private static readonly Dictionary<int, string> StatusNames = new() { [401] = "unauthorized", [403] = "access-denied", [404] = "route-not-found" };
}

/// <summary>
/// Every problem type the API answers with, for its description: those of <see cref="Problems"/> and the
/// endpoints, and the ones the framework writes for 401, 403 and 404. A test checks that the catalogue's
/// factories produce only types listed here.
/// </summary>
public static class ProblemTypes
{
    private static readonly ProblemMember CurrentVersion = new("currentVersion", "integer", "The dossier's (or procedure's) current version.");

    public static readonly ProblemType MalformedRequest = new("malformed-request", 400, "Yêu cầu không hợp lệ", "The request is malformed",
        new ProblemMember("parameter", "string", "The parameter that is missing or badly formed."));

    public static readonly ProblemType MalformedMultipart = new("malformed-multipart", 400, "Nội dung multipart không hợp lệ", "The multipart body is malformed");

    public static readonly ProblemType DossierPartFirst = new("dossier-part-first", 400, "Thiếu phần 'dossier' ở đầu", "The 'dossier' part must come first");

    public static readonly ProblemType MalformedJson = new("malformed-json", 400, "JSON không hợp lệ", "Malformed JSON",
        new ProblemMember("field", "string", "The JSON member that could not be read, when one can be named.", Nullable: true));

    public static readonly ProblemType BodyRequired = new("body-required", 400, "Thiếu nội dung yêu cầu", "The request needs a body");

    public static readonly ProblemType UnknownMember = new("unknown-member", 400, "Trường không được hỗ trợ", "Unknown member",
        new ProblemMember("member", "string", "The member the form does not have."));

    public static readonly ProblemType InvalidMemberValue = new("invalid-member-value", 400, "Giá trị không đúng kiểu", "A value has the wrong type",
        new ProblemMember("member", "string", "The member whose value has the wrong type (empty: the body itself)."));

    public static readonly ProblemType InvalidFields = new("invalid-fields", 400, "Dữ liệu không hợp lệ", "Some fields are not valid",
        new ProblemMember("errors", "array", "Each field refused, with the reason in Vietnamese (vi) and English (en): {field, vi, en}.", ItemsJsonType: "object"));

    public static readonly ProblemType UnexpectedPart = new("unexpected-part", 400, "Phần không được hỗ trợ", "Unexpected part");

    public static readonly ProblemType BadFileName = new("bad-file-name", 400, "Tên tệp không hợp lệ", "The file name is not acceptable",
        new ProblemMember("field", "string", "Always 'filename'."));

    public static readonly ProblemType EmptyFile = new("empty-file", 400, "Tệp rỗng", "The file is empty");

    public static readonly ProblemType NoDocument = new("no-document", 400, "Thiếu tài liệu", "No document");

    public static readonly ProblemType TooManyDocuments = new("too-many-documents", 400, "Quá nhiều tài liệu", "Too many documents");

    public static readonly ProblemType BadDossierCode = new("bad-dossier-code", 400, "Mã hồ sơ không hợp lệ", "Malformed dossier code");

    public static readonly ProblemType SignatureRequired = new("signature-required", 400, "Thiếu chữ ký thiết bị", "A device signature is required",
        new ProblemMember("action", "string", "The decision that needs a signature (approve, send-back)."));

    public static readonly ProblemType Unauthorized = new("https://tools.ietf.org/html/rfc9110#section-15.5.2", 401, "Chưa đăng nhập hoặc mã truy cập không hợp lệ",
        "Not signed in, or the access token is not valid");

    public static readonly ProblemType AccessDenied = new("https://tools.ietf.org/html/rfc9110#section-15.5.4", 403, "Không có quyền", "Forbidden");

    public static readonly ProblemType Forbidden = new("forbidden", 403, "Không có quyền", "Forbidden");

    public static readonly ProblemType SignatureRefused = new("signature-refused", 403, "Chữ ký bị từ chối", "The signature is refused");

    public static readonly ProblemType RouteNotFound = new("https://tools.ietf.org/html/rfc9110#section-15.5.5", 404, "Không tìm thấy", "Not found");

    public static readonly ProblemType DossierNotFound = new("dossier-not-found", 404, "Không tìm thấy hồ sơ", "Dossier not found");

    public static readonly ProblemType DocumentNotFound = new("document-not-found", 404, "Không tìm thấy tài liệu", "Document not found");

    public static readonly ProblemType PageNotFound = new("page-not-found", 404, "Không có trang này", "No such page");

    public static readonly ProblemType UnknownAction = new("unknown-action", 404, "Thao tác không tồn tại", "Unknown action");

    public static readonly ProblemType UnknownQueue = new("unknown-queue", 404, "Hàng đợi không tồn tại", "Unknown queue");

    public static readonly ProblemType UnknownForm = new("unknown-form", 404, "Biểu mẫu không tồn tại", "Unknown form");

    public static readonly ProblemType DeviceNotFound = new("device-not-found", 404, "Không có thiết bị này", "No such device");

    public static readonly ProblemType DeviceKeyNotFound = new("device-key-not-found", 404, "Không tìm thấy khóa", "Device key not found");

    public static readonly ProblemType NotificationNotFound = new("notification-not-found", 404, "Không có thông báo này", "No such notification");

    public static readonly ProblemType LookupNotFound = new("lookup-not-found", 404, "Không tìm thấy hồ sơ với mã và mã tra cứu này", "No dossier with this code and PIN");

    public static readonly ProblemType DossierClosed = new("dossier-closed", 409, "Hồ sơ đã kết thúc", "The dossier is closed");

    public static readonly ProblemType UploadNotFinished = new("upload-not-finished", 409, "Tệp chưa được tải lên đầy đủ", "The upload is not complete");

    public static readonly ProblemType ActionNotAllowedNow = new("action-not-allowed-now", 409, "Thao tác không phù hợp với trạng thái hồ sơ", "The action does not fit the dossier's status",
        new ProblemMember("currentStatus", "object", "The dossier's status: {code, name, nameEn}."),
        new ProblemMember("allowedActions", "array", "The actions allowed now, by code.", ItemsJsonType: "string"));

    public static readonly ProblemType SubmissionInProgress = new("submission-in-progress", 409, "Hồ sơ với khóa này đang được nộp", "A submission with this key is in progress");

    public static readonly ProblemType NotLate = new("not-late", 409, "Hồ sơ không trễ hạn", "The dossier is not late");

    public static readonly ProblemType FormNotIssued = new("form-not-issued", 409, "Hồ sơ chưa có biểu mẫu này", "The dossier has no such form yet");

    public static readonly ProblemType UploadExpired = new("upload-expired", 410, "Hết hạn tải lên", "The upload has expired");

    public static readonly ProblemType DossierChanged = new("dossier-changed", 412, "Hồ sơ đã được người khác thay đổi", "The dossier was changed by someone else", CurrentVersion);

    public static readonly ProblemType ActionAlreadyRecorded = new("action-already-recorded", 412, "Thao tác này đã được ghi nhận", "This action has already been recorded", CurrentVersion,
        new ProblemMember("recordedVersion", "integer", "The version at which the same action was recorded."));

    public static readonly ProblemType ProcedureChanged = new("procedure-changed", 412, "Thủ tục đã được người khác cập nhật", "The procedure was changed by someone else", CurrentVersion);

    public static readonly ProblemType RequestTooLarge = new("request-too-large", 413, "Yêu cầu quá lớn", "The request is too large",
        new ProblemMember("maxBytes", "integer", "The largest body accepted, in bytes, when it is a JSON body."));

    public static readonly ProblemType FileTooLarge = new("file-too-large", 413, "Tệp quá lớn", "The file is too large",
        new ProblemMember("maxBytes", "integer", "The largest file accepted, in bytes."));

    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", 415, "Kiểu nội dung không được hỗ trợ", "Unsupported media type");

    public static readonly ProblemType UnsupportedDocumentType = new("unsupported-document-type", 415, "Loại tệp không được hỗ trợ", "The file type is not supported");

    public static readonly ProblemType UnknownProcedure = new("unknown-procedure", 422, "Thủ tục không tồn tại", "Unknown procedure",
        new ProblemMember("procedureCode", "string", "The procedure code that the catalogue does not have."));

    public static readonly ProblemType UnitNotReceiving = new("unit-not-receiving", 422, "Đơn vị không tiếp nhận thủ tục này", "This unit does not receive this procedure");

    public static readonly ProblemType UnknownComponent = new("unknown-component", 422, "Thành phần hồ sơ không tồn tại", "Unknown document component",
        new ProblemMember("components", "integer", "How many components the procedure has."));

    public static readonly ProblemType UploadMismatch = new("upload-mismatch", 422, "Tệp tải lên không khớp", "The uploaded file does not match");

    public static readonly ProblemType UnknownUnit = new("unknown-unit", 422, "Đơn vị không tồn tại", "Unknown unit");

    public static readonly ProblemType IdempotencyKeyReused = new("idempotency-key-reused", 422, "Khóa Idempotency-Key đã dùng cho một yêu cầu khác", "The Idempotency-Key was used for another request");

    public static readonly ProblemType IfMatchRequired = new("if-match-required", 428, "Thiếu phiên bản hồ sơ (If-Match)", "If-Match is required");

    public static readonly ProblemType TooManyLookups = new("too-many-lookups", 429, "Tra cứu quá nhiều lần", "Too many lookups");

    public static readonly ProblemType LookupPinTriesSlowed = new("lookup-pin-tries-slowed", 429, "Mã tra cứu của hồ sơ này đã bị nhập sai nhiều lần", "Wrong PINs were tried for this dossier too often");

    /// <summary>Every problem type, in the order they are declared above (the order of their schemas in the description).</summary>
    public static readonly ProblemType ResultNotFound = new("result-not-found", 404, "Hồ sơ chưa có kết quả", "The dossier has no result");

    public static readonly ProblemType ResultNotSignable = new("result-not-signable", 422, "Tệp kết quả không ký số được", "The result cannot be signed");

    public static readonly ProblemType ResultLocked = new("result-locked", 409, "Kết quả đã được ký, không thay được", "The result is signed and cannot be replaced");

    public static readonly ProblemType ResultNotAttachableNow = new("result-not-attachable-now", 409, "Chưa thể đính kèm kết quả", "A result cannot be attached now");

    public static readonly ProblemType ResultSignatureRequired = new("result-signature-required", 422, "Thiếu chữ ký số trên kết quả", "The result's signature is missing");

    public static readonly ProblemType SigningPreparationNotFound = new("signing-preparation-not-found", 404, "Không tìm thấy phiên ký", "No such signing preparation");

    public static readonly ProblemType SigningPreparationExpired = new("signing-preparation-expired", 410, "Phiên ký đã hết hạn", "The signing preparation expired");

    public static readonly ProblemType ResultChanged = new("result-changed", 409, "Kết quả đã thay đổi", "The result changed");

    public static readonly ProblemType DeviceCertificateRequired = new("device-certificate-required", 422, "Khóa thiết bị chưa có chứng thư số", "The device key has no certificate");

    public static readonly ProblemType ResultNotIssued = new("result-not-issued", 409, "Kết quả chưa được ban hành", "The result is not issued");

    public static readonly ProblemType DocumentCheckNotFound = new("document-check-not-found", 404, "Không tìm thấy văn bản", "No such document");

    public static readonly ProblemType DeviceCertificateRefused = new("device-certificate-refused", 422, "Chứng thư số của khóa bị từ chối", "The key's certificate is refused");

    public static readonly ProblemType BadIncomingId = new("bad-incoming-id", 400, "Mã văn bản đến không hợp lệ", "The incoming document id is malformed");

    public static readonly ProblemType IncomingNotFound = new("incoming-not-found", 404, "Không tìm thấy văn bản đến", "Incoming document not found");

    public static readonly ProblemType IncomingChanged = new("incoming-changed", 412, "Văn bản đã được người khác thay đổi", "The document was changed by someone else",
        new ProblemMember("currentVersion", "integer", "The document's current version."));

    public static readonly ProblemType IncomingStepNotAllowed = new("incoming-step-not-allowed", 409, "Không thực hiện được bước này lúc này", "This step is not allowed now",
        new ProblemMember("documentStatus", "string", "The document's status, as QCVN 102's two-digit code."));

    public static readonly ProblemType IncomingAlreadyReceived = new("incoming-already-received", 409, "Văn bản đã được nhận", "The document was received already");

    public static readonly ProblemType IncomingSignaturesNotChecked = new("incoming-signatures-not-checked", 409, "Chưa kiểm tra xong chữ ký số", "The signatures are still being checked");

    public static readonly ProblemType IncomingSignatureInvalid = new("incoming-signature-invalid", 422, "Chữ ký số của văn bản không hợp lệ", "The document's signature is not valid");

    public static readonly ProblemType SecretContentRefused = new("secret-content-refused", 422, "Không lưu nội dung văn bản mật", "Secret content is not kept");

    public static readonly ProblemType UnknownHandler = new("unknown-handler", 422, "Không có người hoặc đơn vị xử lý này", "No such handler",
        new ProblemMember("handler", "string", "The person or unit that is not the agency's."));

    public static readonly ProblemType PageImageUnavailable = new("page-image-unavailable", 422, "Không hiển thị được trang", "The page cannot be shown");

    public static readonly ProblemType BadOutgoingId = new("bad-outgoing-id", 400, "Mã văn bản đi không hợp lệ", "The outgoing document id is malformed");

    public static readonly ProblemType OutgoingNotFound = new("outgoing-not-found", 404, "Không tìm thấy văn bản đi", "Outgoing document not found");

    public static readonly ProblemType OutgoingChanged = new("outgoing-changed", 412, "Văn bản đã được người khác thay đổi", "The document was changed by someone else",
        new ProblemMember("currentVersion", "integer", "The document's current version."));

    public static readonly ProblemType OutgoingStepNotAllowed = new("outgoing-step-not-allowed", 409, "Không thực hiện được bước này lúc này", "This step is not allowed now",
        new ProblemMember("documentStatus", "string", "The outgoing document's status."));

    public static readonly ProblemType OutgoingDraftChanged = new("outgoing-draft-changed", 409, "Dự thảo đã thay đổi", "The draft changed");

    public static readonly ProblemType OutgoingNotSignable = new("outgoing-not-signable", 422, "Tệp văn bản không ký số được", "The document cannot be signed");

    public static readonly IReadOnlyList<ProblemType> All = [.. typeof(ProblemTypes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ProblemType))
        .Select(f => (ProblemType)f.GetValue(null)!)];

    /// <summary>What reading a JSON body the endpoint needs can refuse (<see cref="Hosting.JsonBody.ReadRequiredAsync"/>).</summary>
    public static readonly IReadOnlyList<ProblemType> JsonBody = [MalformedJson, BodyRequired, UnknownMember, InvalidMemberValue, RequestTooLarge, UnsupportedMediaType];

    /// <summary>What reading an optional JSON body can refuse (<see cref="Hosting.JsonBody.ReadAsync"/>).</summary>
    public static readonly IReadOnlyList<ProblemType> OptionalJsonBody = [MalformedJson, UnknownMember, InvalidMemberValue, RequestTooLarge, UnsupportedMediaType];

    /// <summary>What reading multipart document parts can refuse (<see cref="Documents.MultipartParts"/>, <see cref="Documents.DocumentUploader"/>).</summary>
    public static readonly IReadOnlyList<ProblemType> DocumentParts =
    [
        MalformedMultipart, UnexpectedPart, BadFileName, EmptyFile, NoDocument, TooManyDocuments, RequestTooLarge, FileTooLarge,
        UnsupportedMediaType, UnsupportedDocumentType, UnknownComponent,
    ];

    /// <summary>What finding a dossier the caller may see can refuse.</summary>
    /// <summary>Reading one incoming document: a malformed id, someone else's agency, or no such document.</summary>
    public static readonly IReadOnlyList<ProblemType> VisibleIncoming = [BadIncomingId, Forbidden, IncomingNotFound];

    /// <summary>Reading one outgoing document: a malformed id, someone else's agency, or no such document.</summary>
    public static readonly IReadOnlyList<ProblemType> VisibleOutgoing = [BadOutgoingId, Forbidden, OutgoingNotFound];

    public static readonly IReadOnlyList<ProblemType> VisibleDossier = [BadDossierCode, Forbidden, DossierNotFound];

    public static IEnumerable<ProblemType> WithStatus(int status) => All.Where(p => p.Status == status);
}
