#!/usr/bin/env bash
# The walk-through: a dossier from submission to result, documents read by OCR, search, notifications, and
# correspondence: a letter received on paper, and a letter sent to another agency and answered.
# Run it from the repository root in a second shell while ./scripts/start.sh serves :7071.
# Each step checks its answer and the script stops at the first surprise; every wait has a limit.
set -euo pipefail
source .local/demo-tokens.env
API=http://127.0.0.1:7071/api
curl() { command curl --max-time 30 "$@"; }   # no request waits forever
# expect WHAT PATTERN TEXT: the answer TEXT, its lines joined, must match PATTERN (grep -E), else stop.
expect() {
  local answer; answer=$(printf '%s' "$3" | tr '\n' ' ')
  grep -Eq -- "$2" <<<"$answer" || { printf 'FAILED %s: expected /%s/ in\n%s\n' "$1" "$2" "$answer" >&2; exit 1; }
  printf 'ok  %s: %.150s\n' "$1" "$answer"
}
# within SECONDS WHAT COMMAND...: repeat COMMAND until it succeeds, for at most SECONDS.
within() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1)); shift 2
  until "$@"; do [ "$SECONDS" -lt "$deadline" ] || { echo "FAILED $what: not within ${limit}s" >&2; exit 1; }; sleep 0.5; done
}
dossier() { curl -s $API/dossiers/$CODE -H "Authorization: Bearer $1"; }

# A citizen submits a marriage registration (5 working days) to Phường Nha Trang with one PDF
# (docs/samples/to-khai.pdf: one page with a text layer).
SUBMITTED=$(curl -s -X POST $API/dossiers -H "Authorization: Bearer $CITIZEN_TOKEN" \
  -F 'dossier={"procedureCode":"1.000656","receivingUnit":"000.20.30.H56","applicant":{"fullName":"Nguyễn Thị Hoa","idNumber":"001190012345"}};type=application/json' \
  -F 'document=@docs/samples/to-khai.pdf;type=application/pdf')
expect "submitted" '"code":"[^"]+","lookupPin":"[0-9]+"' "$SUBMITTED"
CODE=$(sed -E 's/.*"code":"([^"]+)".*/\1/' <<<"$SUBMITTED")
PIN=$(sed -E 's/.*"lookupPin":"([^"]+)".*/\1/' <<<"$SUBMITTED")
# The queued intake step moves it from 0 (Đang tiếp nhận tài liệu) to 1 (Mới đăng ký) within a moment,
# and the document's check is recorded in the history too: wait for both.
registered() { dossier $CITIZEN_TOKEN | grep '"status":{"code":1' | grep -q '"recorded":1'; }
within 60 "registration and document check" registered
expect "document checked, readable" '"documentChecks":\{"documents":1,"recorded":1,"failed":0' "$(dossier $CLERK_TOKEN)"

# act TOKEN ACTION [JSON]: take an action with the dossier's current version as If-Match.
act() {
  local etag; etag=$(curl -s -D - -o /dev/null $API/dossiers/$CODE -H "Authorization: Bearer $1" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  curl -s -X POST $API/dossiers/$CODE/actions/$2 -H "Authorization: Bearer $1" -H "If-Match: $etag" \
    -H 'Content-Type: application/json' -d "${3:-{\}}" | grep -o '"status":{[^}]*}\|"stepName":"[^"]*"\|"title":"[^"]*"' || true
}
expect "accept: the clock starts" '"code":2,' "$(act $CLERK_TOKEN accept)"
expect "receipt with PIN and QR code" '^200$' \
  "$(curl -s $API/dossiers/$CODE/forms/receipt -H "Authorization: Bearer $CLERK_TOKEN" -o /tmp/receipt.pdf -w '%{http_code}')"
expect "hand-over" '"code":4,.*"stepName":"Thụ lý, thẩm định hồ sơ"' "$(act $CLERK_TOKEN hand-over)"
expect "supplement requested: the clock pauses" '"code":5,' \
  "$(act $SPECIALIST_TOKEN request-supplement '{"comment":"Bổ sung giấy xác nhận tình trạng hôn nhân"}')"
expect "supplement request form" '^200$' \
  "$(curl -s $API/dossiers/$CODE/forms/supplement-request -H "Authorization: Bearer $CLERK_TOKEN" -o /tmp/supplement.pdf -w '%{http_code}')"
expect "supplement received: the clock resumes" '"code":4,' "$(act $CLERK_TOKEN receive-supplement)"
# The specialist attaches the result, the certificate as a PDF (docs/samples/giay-chung-nhan-ket-hon.pdf).
expect "result attached" '"stage":"draft"' \
  "$(curl -s -X PUT "$API/dossiers/$CODE/result?fileName=giay-chung-nhan-ket-hon.pdf" -H "Authorization: Bearer $SPECIALIST_TOKEN" \
  -H 'Content-Type: application/pdf' --data-binary @docs/samples/giay-chung-nhan-ket-hon.pdf)"
expect "submitted for approval" '"stepName":"Phê duyệt"' "$(act $SPECIALIST_TOKEN submit-for-approval)"
# Work lists follow the dossier events within a moment: the chairman's, most urgent first.
waiting() { curl -s $API/approvals -H "Authorization: Bearer $CHAIRMAN_TOKEN" | grep -q "\"$CODE\""; }
within 30 "the chairman's approval list" waiting

# The chairman's phone (openssl plays it): register its key once (the local demo's authority issues its
# certificate), then sign the approval and the result (mobile-contracts/approval-signature.md).
openssl ecparam -name prime256v1 -genkey -noout -out /tmp/phone.pem
PUB=$(openssl ec -in /tmp/phone.pem -pubout -outform DER 2>/dev/null | base64 -w0)
KEY=$(curl -s -X POST $API/me/device-keys -H "Authorization: Bearer $CHAIRMAN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"deviceName\":\"Điện thoại chủ tịch\",\"publicKey\":\"$PUB\"}")
expect "phone key registered with its certificate" '"keyId":".*"certificate":\{"subject":"' "$KEY"
KEY=$(sed -E 's/.*"keyId":"([^"]+)".*/\1/' <<<"$KEY")
VERSION=$(dossier $CHAIRMAN_TOKEN | sed -E 's/^\{"code":"[^"]+","version":([0-9]+).*/\1/')
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ); COMMENT='Đồng ý'
printf 'MOTCUA-APPROVAL-V1\ncode:%s\naction:approve\nversion:%s\nsigned-at:%s\ncomment-sha256:%s' \
  "$CODE" "$VERSION" "$NOW" "$(printf '%s' "$COMMENT" | sha256sum | cut -d' ' -f1)" > /tmp/statement
SIG=$(openssl dgst -sha256 -sign /tmp/phone.pem /tmp/statement | base64 -w0)
# The result is laid out for the key's certificate (QR code and signature block in place); the phone signs
# the CMS signed attributes it is handed.
PREPARED=$(curl -s -X POST $API/dossiers/$CODE/result/signing -H "Authorization: Bearer $CHAIRMAN_TOKEN" \
  -H 'Content-Type: application/json' -d "{\"keyId\":\"$KEY\"}")
expect "result prepared for the phone's signature" '"digestToSign":"' "$PREPARED"
PREPARATION=$(sed -E 's/.*"preparationId":"([^"]+)".*/\1/' <<<"$PREPARED")
sed -E 's/.*"signedAttributes":"([^"]+)".*/\1/' <<<"$PREPARED" | base64 -d > /tmp/signed-attributes
RESULT_SIG=$(openssl dgst -sha256 -sign /tmp/phone.pem /tmp/signed-attributes | base64 -w0)
approve() {
  curl -s -X POST $API/dossiers/$CODE/actions/approve -H "Authorization: Bearer $CHAIRMAN_TOKEN" -H "If-Match: \"$VERSION\"" \
    -H 'Content-Type: application/json' -d "{\"comment\":\"$COMMENT\",\"signature\":{\"keyId\":\"$KEY\",\"signedAt\":\"$NOW\",\"value\":\"$SIG\"},
      \"resultSignature\":{\"preparationId\":\"$PREPARATION\",\"value\":\"$RESULT_SIG\"}}" "$@"
}
expect "approved with the phone's signature" '^200 .*"status":\{"code":4,' "$(approve -w '%{http_code} ' -o /tmp/approved.json; cat /tmp/approved.json)"
# The same request again is refused: the version it signed has passed.
expect "the same approval replayed" '^412$' "$(approve -o /dev/null -w '%{http_code}')"

expect "finished, classified against the deadline" '"code":9,' "$(act $CLERK_TOKEN finish)"
# The finish has the agency's seal added, time-stamped, in a queued step; the citizen is told and downloads
# the result: poppler's pdfsig shows it signed by the chairman, then by the agency over the whole file.
issued() { curl -s $API/dossiers/$CODE/result -H "Authorization: Bearer $CITIZEN_TOKEN" | grep -q '"stage":"issued"'; }
within 60 "the sealed result" issued
expect "the citizen downloads the signed result" '^200$' \
  "$(curl -s $API/dossiers/$CODE/result/file -H "Authorization: Bearer $CITIZEN_TOKEN" -o /tmp/result.pdf -w '%{http_code}')"
SIGNATURES=$(pdfsig -nocert /tmp/result.pdf 2>&1 || true)
expect "signed by the chairman" 'Signature #1: [^#]*Common Name: Lê Văn Hùng [^#]*Signature is Valid' "$SIGNATURES"
expect "sealed by the agency over the whole file" 'Signature #2: [^#]*Total document signed [^#]*Signature is Valid' "$SIGNATURES"
# Its QR code opens the public check page (/xac-thuc/…), and the API answers for the same id: who signed, whether
# each signature holds, whether it was cancelled.
pdftoppm -r 150 -png -f 1 -l 1 /tmp/result.pdf /tmp/result-page
CHECK_URL=$(zbarimg -q --raw /tmp/result-page-1.png)
expect "the QR code's page" 'Văn bản do cơ quan ban hành qua MotCua, còn hiệu lực' "$(curl -s "$CHECK_URL")"
expect "the public check" '"issuedHere":true,"status":"issued"' "$(curl -s "$API/public/documents/${CHECK_URL##*/}")"
expect "result returned" '"code":10,' "$(act $CLERK_TOKEN return-result)"

# Anyone with the receipt: the public lookup (10-digit PIN; limited per address and, after wrong PINs, slowed per
# dossier code with Retry-After: docs/decisions/0007; a wrong PIN reveals nothing).
expect "public lookup by code and PIN" "\"code\":\"$CODE\".*\"code\":10," \
  "$(curl -s "$API/public/dossiers/lookup" -H 'Content-Type: application/json' -d "{\"code\":\"$CODE\",\"pin\":\"$PIN\"}")"
# The tracking sheet's hash chain, and the unit's figures for today (Vietnam's date), as the national report has them:
# received (accepted at the desk in the period) + carriedOver = resolved + withdrawn + stopped + inProgress;
# awaitingReception (submitted, not yet accepted) and refused are counted apart.
expect "history chain verified" '"valid":true' "$(curl -s $API/dossiers/$CODE/history/verification -H "Authorization: Bearer $CLERK_TOKEN")"
TODAY=$(date -u -d '+7 hours' +%F)
expect "unit statistics" '"unit":"000.20.30.H56"' \
  "$(curl -s "$API/units/000.20.30.H56/statistics?from=$TODAY&to=$TODAY" -H "Authorization: Bearer $CHAIRMAN_TOKEN")"

# A wrong step is a 409 naming the status and what is allowed now; bad input is a problem (RFC 9457).
expect "a wrong step is refused (409)" '"title":"Thao tác không phù hợp với trạng thái hồ sơ"' "$(act $CHAIRMAN_TOKEN approve)"
expect "a text file under a .pdf name is refused" '"status":415' \
  "$(curl -s -X POST $API/dossiers -H "Authorization: Bearer $CITIZEN_TOKEN" -H 'Accept-Language: en' \
  -F 'dossier={"procedureCode":"1.001193","receivingUnit":"000.20.30.H56","applicant":{"fullName":"A","idNumber":"001190012345"}}' \
  -F 'document=@README.md;filename=scan.pdf')"

# Health, dead letters (admin), the catalogue and the API description.
expect "health" '"status":"healthy"' "$(curl -s $API/health)"
expect "no dead letters" '^\[\]$' "$(curl -s $API/admin/dead-letters/document-received -H "Authorization: Bearer $ADMIN_TOKEN")"
expect "procedure" '"code":"1.000656"' "$(curl -s $API/procedures/1.000656 -H "Authorization: Bearer $CLERK_TOKEN")"
expect "API description" '"openapi": *"3' "$(curl -s http://127.0.0.1:7071/openapi/v1.json | head -c 300)"

# Documents: a phone photo added to a new dossier straight through storage, read by OCR, and found by plain words.
SECOND=$(curl -s -X POST $API/dossiers -H "Authorization: Bearer $CITIZEN_TOKEN" \
  -F 'dossier={"procedureCode":"1.001193","receivingUnit":"000.20.30.H56","applicant":{"fullName":"Trần Văn Bình","idNumber":"001085012345"}};type=application/json' \
  -F 'document:1=@docs/samples/to-khai.pdf;type=application/pdf')
expect "second dossier submitted" '"code":"' "$SECOND"
CODE=$(sed -E 's/.*"code":"([^"]+)".*/\1/' <<<"$SECOND")
pdftoppm -r 200 -png -singlefile /tmp/receipt.pdf /tmp/anh-chup          # the receipt, as a photo would show it
SHA=$(sha256sum /tmp/anh-chup.png | cut -d' ' -f1); SIZE=$(stat -c %s /tmp/anh-chup.png)
TICKET=$(curl -s -X POST $API/dossiers/$CODE/uploads -H "Authorization: Bearer $CITIZEN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"fileName\":\"anh-chup.png\",\"length\":$SIZE,\"sha256\":\"$SHA\"}")
expect "upload ticket (write-only, 15 minutes)" '"uploadUrl":"' "$TICKET"
DOC=$(sed -E 's/.*"documentId":"([^"]+)".*/\1/' <<<"$TICKET"); URL=$(sed -E 's/.*"uploadUrl":"([^"]+)".*/\1/' <<<"$TICKET")
expect "photo put straight into storage" '^201$' \
  "$(curl -s -X PUT "$URL" -H 'x-ms-blob-type: BlockBlob' --data-binary @/tmp/anh-chup.png -o /dev/null -w '%{http_code}')"
expect "upload confirmed" "\"documentId\":\"$DOC\"" "$(curl -s -X POST $API/dossiers/$CODE/uploads/$DOC/confirm -H "Authorization: Bearer $CITIZEN_TOKEN")"
document() { curl -s $API/dossiers/$CODE/documents/$DOC -H "Authorization: Bearer $CLERK_TOKEN"; }
recorded() { document | grep -q '"stage":"recorded"'; }
within 180 "the photo's checks (OCR)" recorded
expect "photo read by OCR, not malformed" '"stage":"recorded","failure":null.*"ocrPages":1' "$(document)"
expect "the recognised text" '"source":"ocr".*TIẾP NHẬN' "$(curl -s $API/dossiers/$CODE/documents/$DOC/pages/1 -H "Authorization: Bearer $CLERK_TOKEN")"
expect "the photo found by plain words, without diacritics" "\"documentId\":\"$DOC\",\"fileName\":\"anh-chup.png\"" \
  "$(curl -s "$API/search?q=nguyen+thi+hoa" -H "Authorization: Bearer $CLERK_TOKEN")"

# Notifications: every status change reaches the inbox of the people concerned, newest first.
expect "the citizen's inbox" 'đã được tiếp nhận' "$(curl -s $API/me/notifications -H "Authorization: Bearer $CITIZEN_TOKEN")"
expect "the chairman's unread count" '"unread":[1-9]' "$(curl -s $API/me/notifications/unread-count -H "Authorization: Bearer $CHAIRMAN_TOKEN")"
# Correspondence: a paper letter from the province arrives at the ward. The records clerk uploads its scan
# (docs/samples/cong-van-den.pdf, an image only, urgent: khẩn); it is read by OCR and its first page suggests the
# number, notation, date, sender, type and summary.
ARRIVED=$(curl -s -X POST $API/agencies/000.20.30.H56/incoming/paper -H "Authorization: Bearer $RECORDS_CLERK_TOKEN" \
  -F 'incoming={"priority":1};type=application/json' -F 'document=@docs/samples/cong-van-den.pdf;type=application/pdf')
expect "the scan taken in (01: waits for registration)" '"id":"IN-[^"]+","status":"01"' "$ARRIVED"
LETTER=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$ARRIVED")
letter() { curl -s $API/incoming/$LETTER -H "Authorization: Bearer $1"; }
suggested() { letter $RECORDS_CLERK_TOKEN | grep -q '"suggestion":{'; }
within 180 "the scan's OCR and suggestion" suggested
expect "suggested from the first page" '"suggestion":\{"number":"125","notation":"UBND-VP","documentDate":"2026-12-01".*"summary":"V/v triển khai' \
  "$(letter $RECORDS_CLERK_TOKEN)"
# step TOKEN STEP [JSON]: a step on the letter with its current version as If-Match.
step() {
  local etag; etag=$(curl -s -D - -o /dev/null $API/incoming/$LETTER -H "Authorization: Bearer $1" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  curl -s -X POST $API/incoming/$LETTER/$2 -H "Authorization: Bearer $1" -H "If-Match: $etag" -H 'Content-Type: application/json' -d "${3:-{\}}"
}
# The clerk confirms the suggestion as it is (any field sent would replace it) and registers it: the next số đến of the year.
expect "registered with the next receipt number (03)" '"status":\{"code":"03".*"register":\{"year":[0-9]+,"number":[0-9]+' \
  "$(step $RECORDS_CLERK_TOKEN registration '{"senderName":"Ủy ban nhân dân tỉnh Khánh Hòa"}')"
expect "in the chairman's list awaiting direction" "\"id\":\"$LETTER\"" \
  "$(curl -s "$API/agencies/000.20.30.H56/incoming?list=awaiting-direction" -H "Authorization: Bearer $CHAIRMAN_TOKEN")"
# The chairman directs from the phone (the key registered above): Phòng Văn hóa - Xã hội leads, officer-002 of
# Phòng Kinh tế co-handles, within a week; the phone signs the direction statement (mobile-contracts/direction-signature.md).
VERSION=$(letter $CHAIRMAN_TOKEN | sed -E 's/^\{"id":"[^"]+","version":([0-9]+).*/\1/')
DUE=$(date -u -d '+7 hours +7 days' +%F); NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
COMMENT='Giao Phòng Văn hóa - Xã hội chủ trì tham mưu, Phòng Kinh tế phối hợp.'
printf 'MOTCUA-DIRECTION-V1\ndocument:%s@%s\nlead:001.20.30.H56\nco-handlers:officer-002\ninformed:\ndue:%s\non-behalf-of:\nsigned-at:%s\ncomment-sha256:%s' \
  "$LETTER" "$VERSION" "$DUE" "$NOW" "$(printf '%s' "$COMMENT" | sha256sum | cut -d' ' -f1)" > /tmp/direction
SIG=$(openssl dgst -sha256 -sign /tmp/phone.pem /tmp/direction | base64 -w0)
expect "directed from the phone (04)" '"status":\{"code":"04".*"leadUnit":"001.20.30.H56"' \
  "$(curl -s -X POST $API/incoming/$LETTER/direction -H "Authorization: Bearer $CHAIRMAN_TOKEN" -H "If-Match: \"$VERSION\"" \
  -H 'Content-Type: application/json' -d "{\"lead\":\"001.20.30.H56\",\"coHandlers\":[\"officer-002\"],\"dueDate\":\"$DUE\",\"comment\":\"$COMMENT\",
    \"signature\":{\"keyId\":\"$KEY\",\"signedAt\":\"$NOW\",\"value\":\"$SIG\"}}")"
# The department head passes it to an officer with a shorter limit; the officer records progress and finishes with the reply.
expect "passed on to the officer" '"assignee":"officer-001"' \
  "$(step $DEPARTMENT_HEAD_TOKEN assignment "{\"officer\":\"officer-001\",\"dueDate\":\"$(date -u -d '+7 hours +5 days' +%F)\",\"comment\":\"Anh Tuấn dự thảo văn bản trả lời.\"}")"
expect "progress recorded (05)" '"status":\{"code":"05"' "$(step $OFFICER_TOKEN progress '{"note":"Đã dự thảo kế hoạch, trình lãnh đạo phòng."}')"
expect "finished with the reply (06)" '"status":\{"code":"06".*"finishedLate":false.*"historyIntact":true' \
  "$(step $OFFICER_TOKEN finish "{\"result\":\"Đã gửi kế hoạch chuyển đổi số năm 2027.\",\"replyDocumentId\":\"000.20.30.H56,$(date -u -d '+7 hours' +%Y/%m/%d),88/UBND-VHXH\"}")"
expect "a finished letter is not directed again (409)" '"status":409' "$(step $CHAIRMAN_TOKEN direction '{"lead":"001.20.30.H56","dueDate":"2030-01-01"}')"

# Outgoing correspondence: the ward writes to Cam Lâm commune, and Cam Lâm answers. An officer of Phòng Văn hóa -
# Xã hội drafts the letter (docs/samples/cong-van-di.pdf: "Số:" and the date left blank for the records clerk).
DRAFTED=$(curl -s -X POST $API/agencies/000.20.30.H56/outgoing -H "Authorization: Bearer $OFFICER_TOKEN" -H 'Content-Type: application/json' \
  -d '{"documentType":"Công văn","summary":"V/v phối hợp tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026","recipients":[{"agency":"000.21.31.H56"}],"signer":"chairman-001","dueDate":"2026-12-10","otherRecipients":["Lưu: VT, VHXH."]}')
expect "drafted" '"id":"OUT-[^"]+","version":1,"status":\{"code":"draft"' "$DRAFTED"
OUT=$(sed -E 's/.*"id":"(OUT-[^"]+)".*/\1/' <<<"$DRAFTED")
# ostep TOKEN ID STEP [JSON]: a step on an outgoing document with its current version as If-Match.
ostep() {
  local etag; etag=$(curl -s -D - -o /dev/null $API/outgoing/$2 -H "Authorization: Bearer $1" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  curl -s -X POST $API/outgoing/$2/$3 -H "Authorization: Bearer $1" -H "If-Match: $etag" -H 'Content-Type: application/json' -d "${4:-{\}}"
}
outgoing() { curl -s $API/outgoing/$2 -H "Authorization: Bearer $1"; }
expect "the draft's PDF put in" '"revision":1,"fileName":"cong-van-di.pdf"' \
  "$(curl -s -X PUT "$API/outgoing/$OUT/document?fileName=cong-van-di.pdf" -H "Authorization: Bearer $OFFICER_TOKEN" -H 'If-Match: "1"' \
    -H 'Content-Type: application/pdf' --data-binary @docs/samples/cong-van-di.pdf)"
expect "submitted to the department head" '"status":\{"code":"in-review"' "$(ostep $OFFICER_TOKEN $OUT submission)"
expect "passed on to the chairman's signature" '"status":\{"code":"awaiting-signature"' "$(ostep $DEPARTMENT_HEAD_TOKEN $OUT review '{"decision":"pass"}')"
# sign_on_phone TOKEN KEY PEM ID: the signer's phone (openssl) signs what MotCua prepared for its key's certificate.
sign_on_phone() {
  local prepared preparation
  prepared=$(curl -s -X POST $API/outgoing/$4/signing -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "{\"keyId\":\"$2\"}")
  preparation=$(sed -E 's/.*"preparationId":"([^"]+)".*/\1/' <<<"$prepared")
  sed -E 's/.*"signedAttributes":"([^"]+)".*/\1/' <<<"$prepared" | base64 -d > /tmp/signed-attributes
  ostep $1 $4 approval "{\"decision\":\"sign\",\"signature\":{\"preparationId\":\"$preparation\",\"value\":\"$(openssl dgst -sha256 -sign $3 /tmp/signed-attributes | base64 -w0)\"}}"
}
expect "signed on the chairman's phone" '"status":\{"code":"signed".*"signingAuthority":"TM. ỦY BAN NHÂN DÂN","position":"Chủ tịch"' \
  "$(sign_on_phone $CHAIRMAN_TOKEN $KEY /tmp/phone.pem $OUT)"
# The records clerk gives the next number of the year and today's date; the number and date go into the fields the
# chairman signed empty, then the agency's seal covers the whole file, and the letter goes to Cam Lâm.
NUMBERED=$(ostep $RECORDS_CLERK_TOKEN $OUT issue)
expect "numbered" '"status":\{"code":"numbered".*"symbol":"[0-9]+/UBND-VHXH"' "$NUMBERED"
SYMBOL=$(sed -E 's/.*"symbol":"([^"]+)".*/\1/' <<<"$NUMBERED")
expect "numbered only once (409)" '"status":409' "$(ostep $RECORDS_CLERK_TOKEN $OUT issue)"
sealed() { outgoing $RECORDS_CLERK_TOKEN $OUT | grep -q '"status":{"code":"issued"'; }
within 60 "the sealed letter" sealed
curl -s $API/outgoing/$OUT/file -H "Authorization: Bearer $OFFICER_TOKEN" -o /tmp/cong-van-di.pdf
SIGNATURES=$(pdfsig -nocert /tmp/cong-van-di.pdf 2>&1 || true)
expect "signed by the chairman" 'Signature #1: [^#]*Common Name: Lê Văn Hùng [^#]*Signature is Valid' "$SIGNATURES"
expect "sealed by the ward over the whole file" 'Signature #2: [^#]*Total document signed [^#]*Signature is Valid' "$SIGNATURES"
expect "the number and date on the page" "Số: +${SYMBOL%%/*} ?/UBND-VHXH +Nha Trang, ngày [0-9]{2} tháng [0-9]{2} năm 20[0-9]{2}" "$(pdftotext -layout /tmp/cong-van-di.pdf -)"
delivered() { outgoing $OFFICER_TOKEN $OUT | grep -Eq '"recipient":"000.21.31.H56"[^{]*\{[^}]*\}[^}]*"incomingId":"IN-'; }
within 60 "the delivery to Cam Lâm" delivered
RECEIVED=$(outgoing $OFFICER_TOKEN $OUT | sed -E 's/.*"incomingId":"(IN-[^"]+)".*/\1/')
# At Cam Lâm: the records clerk registers it once its signatures are checked (MotCua's verifier: both valid).
LETTER=$RECEIVED
checked() { letter $RECORDS_CLERK_002_TOKEN | grep -q '"stage":"recorded","signatureVerdict":"valid".*"action":"file-checked"'; }
within 120 "Cam Lâm's check of the signatures" checked
expect "registered at Cam Lâm (03)" '"status":\{"code":"03"' "$(step $RECORDS_CLERK_002_TOKEN registration)"
sender_sees() { outgoing $OFFICER_TOKEN $OUT | grep -q "\"recipient\":\"000.21.31.H56\"[^}]*\"code\":\"$1\""; }
within 30 "the ward to see the registration" sender_sees 03
# Cam Lâm's leader directs it from his phone to officer-003, who drafts the answer; the leader signs it, its
# records clerk issues it to the ward, and the officer finishes the letter with the reply's identifier.
openssl ecparam -name prime256v1 -genkey -noout -out /tmp/phone2.pem
KEY2=$(curl -s -X POST $API/me/device-keys -H "Authorization: Bearer $LEADER_002_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"deviceName\":\"Điện thoại chủ tịch xã\",\"publicKey\":\"$(openssl ec -in /tmp/phone2.pem -pubout -outform DER 2>/dev/null | base64 -w0)\"}" \
  | sed -E 's/.*"keyId":"([^"]+)".*/\1/')
VERSION=$(letter $LEADER_002_TOKEN | sed -E 's/^\{"id":"[^"]+","version":([0-9]+).*/\1/')
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ); COMMENT='Giao đồng chí Hà tham mưu văn bản trả lời.'
printf 'MOTCUA-DIRECTION-V1\ndocument:%s@%s\nlead:officer-003\nco-handlers:\ninformed:\ndue:%s\non-behalf-of:\nsigned-at:%s\ncomment-sha256:%s' \
  "$LETTER" "$VERSION" "$DUE" "$NOW" "$(printf '%s' "$COMMENT" | sha256sum | cut -d' ' -f1)" > /tmp/direction
expect "directed at Cam Lâm (04)" '"status":\{"code":"04".*"leadUser":"officer-003"' \
  "$(curl -s -X POST $API/incoming/$LETTER/direction -H "Authorization: Bearer $LEADER_002_TOKEN" -H "If-Match: \"$VERSION\"" \
  -H 'Content-Type: application/json' -d "{\"lead\":\"officer-003\",\"dueDate\":\"$DUE\",\"comment\":\"$COMMENT\",
    \"signature\":{\"keyId\":\"$KEY2\",\"signedAt\":\"$NOW\",\"value\":\"$(openssl dgst -sha256 -sign /tmp/phone2.pem /tmp/direction | base64 -w0)\"}}")"
within 30 "the ward to see the direction" sender_sees 04
REPLY=$(curl -s -X POST $API/agencies/000.21.31.H56/outgoing -H "Authorization: Bearer $OFFICER_003_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"documentType\":\"Công văn\",\"summary\":\"V/v cử đại diện tham dự Ngày hội Đại đoàn kết toàn dân tộc năm 2026\",\"recipients\":[{\"agency\":\"000.20.30.H56\"}],\"signer\":\"leader-002\",\"answersIncomingId\":\"$LETTER\"}" \
  | sed -E 's/.*"id":"(OUT-[^"]+)".*/\1/')
curl -s -o /dev/null -X PUT "$API/outgoing/$REPLY/document?fileName=cong-van-tra-loi.pdf" -H "Authorization: Bearer $OFFICER_003_TOKEN" -H 'If-Match: "1"' \
  -H 'Content-Type: application/pdf' --data-binary @docs/samples/cong-van-tra-loi.pdf
expect "the answer goes straight to the commune's leader" '"status":\{"code":"awaiting-signature"' "$(ostep $OFFICER_003_TOKEN $REPLY submission)"
expect "the answer signed on his phone" '"status":\{"code":"signed"' "$(sign_on_phone $LEADER_002_TOKEN $KEY2 /tmp/phone2.pem $REPLY)"
REPLY_NUMBERED=$(ostep $RECORDS_CLERK_002_TOKEN $REPLY issue)
expect "the answer numbered at Cam Lâm" '"symbol":"[0-9]+/UBND-VP"' "$REPLY_NUMBERED"
REPLY_ID="000.21.31.H56,$(sed -E 's/.*"issueDate":"([0-9]{4})-([0-9]{2})-([0-9]{2})".*/\1\/\2\/\3/' <<<"$REPLY_NUMBERED"),$(sed -E 's/.*"symbol":"([^"]+)".*/\1/' <<<"$REPLY_NUMBERED")"
expect "Cam Lâm's letter finished with the answer (06)" '"status":\{"code":"06"' \
  "$(step $OFFICER_003_TOKEN finish "{\"result\":\"Đã trả lời, cử Phó Chủ tịch xã tham dự.\",\"replyDocumentId\":\"$REPLY_ID\"}")"
# The ward sees, for Cam Lâm, the letter handled (06) and the answer that came back, which names the ward's letter.
answered() { outgoing $OFFICER_TOKEN $OUT | grep -Eq '"recipient":"000.21.31.H56"[^{]*\{"code":"06"[^}]*\}[^}]*"replyIncomingId":"IN-'; }
within 60 "the ward to see the answer" answered
ANSWER=$(outgoing $OFFICER_TOKEN $OUT | sed -E 's/.*"replyIncomingId":"(IN-[^"]+)".*/\1/')
expect "the answer at the ward names the letter it answers" "\"origin\":\\{\"outgoingId\":\"$REPLY\",\"inReplyToOutgoingId\":\"$OUT\"" \
  "$(curl -s $API/incoming/$ANSWER -H "Authorization: Bearer $RECORDS_CLERK_TOKEN")"
# Liên thông: the ward writes to the province's Department of Home Affairs (000.00.05.H56), which another MotCua
# deployment serves (:7074, its own storage and tokens), through the local document exchange (:7073). The letter
# leaves as an edXML package signed with the ward's seal; the other deployment pulls it, checks the package's and
# the PDF's signatures, and each of its steps comes back as a status; its answer comes back as a letter.
source .local/demo-tokens-neighbour.env
API_B=http://127.0.0.1:7074/api
# send_outside SUMMARY: drafted, reviewed, signed on the chairman's phone and numbered; the letter's id in SENT.
send_outside() {
  SENT=$(curl -s -X POST $API/agencies/000.20.30.H56/outgoing -H "Authorization: Bearer $OFFICER_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"documentType\":\"Công văn\",\"summary\":\"$1\",\"recipients\":[{\"agency\":\"000.00.05.H56\"}],\"signer\":\"chairman-001\",\"otherRecipients\":[\"Lưu: VT, VHXH.\"]}" \
    | sed -E 's/.*"id":"(OUT-[^"]+)".*/\1/')
  curl -s -o /dev/null -X PUT "$API/outgoing/$SENT/document?fileName=cong-van-di.pdf" -H "Authorization: Bearer $OFFICER_TOKEN" -H 'If-Match: "1"' \
    -H 'Content-Type: application/pdf' --data-binary @docs/samples/cong-van-di.pdf
  ostep $OFFICER_TOKEN $SENT submission >/dev/null
  ostep $DEPARTMENT_HEAD_TOKEN $SENT review '{"decision":"pass"}' >/dev/null
  sign_on_phone $CHAIRMAN_TOKEN $KEY /tmp/phone.pem $SENT >/dev/null
  ostep $RECORDS_CLERK_TOKEN $SENT issue >/dev/null
}
send_outside "V/v cử cán bộ tham gia tập huấn chuyển đổi số năm 2026"
OUT=$SENT
expect "named from the exchange's agency list" '"recipient":"000.00.05.H56","name":"Sở Nội vụ tỉnh Khánh Hòa"' "$(outgoing $OFFICER_TOKEN $OUT)"
neighbour_sees() { curl -s "$API_B/agencies/000.00.05.H56/incoming?list=awaiting-registration" -H "Authorization: Bearer $RECORDS_CLERK_101_TOKEN" \
  | grep -q "\"senderName\":\"Ủy ban nhân dân phường Nha Trang\",\"number\":\"$1\""; }
sealed() { outgoing $RECORDS_CLERK_TOKEN $OUT | grep -q '"status":{"code":"issued"'; }
within 60 "the sealed letter" sealed
NUMBER=$(outgoing $OFFICER_TOKEN $OUT | sed -E 's/.*"symbol":"([0-9]+)\/.*/\1/')
within 60 "the letter at the Department of Home Affairs" neighbour_sees "$NUMBER"
ward_sees() { outgoing $OFFICER_TOKEN $OUT | grep -q "\"recipient\":\"000.00.05.H56\"[^}]*\"code\":\"$1\""; }
within 30 "the ward to hear it arrived (01)" ward_sees 01
# There, its records clerk registers it once its signatures are checked, the director directs it from his phone to
# Phòng Tổ chức, biên chế, whose head passes it to an officer, who works on it and finishes it.
LETTER=$(curl -s "$API_B/agencies/000.00.05.H56/incoming?list=awaiting-registration" -H "Authorization: Bearer $RECORDS_CLERK_101_TOKEN" \
  | sed -E 's/.*"id":"(IN-[^"]+)".*/\1/')
API_A=$API; API=$API_B
checked() { letter $RECORDS_CLERK_101_TOKEN | grep -q '"stage":"recorded","signatureVerdict":"valid".*"action":"file-checked"'; }
within 120 "the package's and the PDF's signatures checked there" checked
expect "registered there (03)" '"status":\{"code":"03"' "$(step $RECORDS_CLERK_101_TOKEN registration)"
openssl ecparam -name prime256v1 -genkey -noout -out /tmp/phone3.pem
KEY3=$(curl -s -X POST $API/me/device-keys -H "Authorization: Bearer $LEADER_101_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"deviceName\":\"Điện thoại giám đốc sở\",\"publicKey\":\"$(openssl ec -in /tmp/phone3.pem -pubout -outform DER 2>/dev/null | base64 -w0)\"}" \
  | sed -E 's/.*"keyId":"([^"]+)".*/\1/')
VERSION=$(letter $LEADER_101_TOKEN | sed -E 's/^\{"id":"[^"]+","version":([0-9]+).*/\1/')
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ); COMMENT='Giao Phòng Tổ chức, biên chế chủ trì, cử cán bộ tham gia.'
printf 'MOTCUA-DIRECTION-V1\ndocument:%s@%s\nlead:001.00.05.H56\nco-handlers:\ninformed:\ndue:%s\non-behalf-of:\nsigned-at:%s\ncomment-sha256:%s' \
  "$LETTER" "$VERSION" "$DUE" "$NOW" "$(printf '%s' "$COMMENT" | sha256sum | cut -d' ' -f1)" > /tmp/direction
expect "directed there from the director's phone (04)" '"status":\{"code":"04"' \
  "$(curl -s -X POST $API/incoming/$LETTER/direction -H "Authorization: Bearer $LEADER_101_TOKEN" -H "If-Match: \"$VERSION\"" \
  -H 'Content-Type: application/json' -d "{\"lead\":\"001.00.05.H56\",\"dueDate\":\"$DUE\",\"comment\":\"$COMMENT\",
    \"signature\":{\"keyId\":\"$KEY3\",\"signedAt\":\"$NOW\",\"value\":\"$(openssl dgst -sha256 -sign /tmp/phone3.pem /tmp/direction | base64 -w0)\"}}")"
expect "passed to an officer" '"assignee":"officer-101"' "$(step $DEPARTMENT_HEAD_101_TOKEN assignment '{"officer":"officer-101"}')"
expect "in progress there (05)" '"status":\{"code":"05"' "$(step $OFFICER_101_TOKEN progress '{"note":"Đang lập danh sách cán bộ."}')"
expect "finished there (06)" '"status":\{"code":"06"' "$(step $OFFICER_101_TOKEN finish '{"result":"Đã cử 02 cán bộ tham gia."}')"
# The director answers: the officer drafts the reply to the ward's letter, the director signs it on his phone, the
# records clerk issues it, and it goes back through the exchange naming the letter it answers.
REPLY=$(curl -s -X POST $API/agencies/000.00.05.H56/outgoing -H "Authorization: Bearer $OFFICER_101_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"documentType\":\"Công văn\",\"summary\":\"V/v cử cán bộ tham gia tập huấn chuyển đổi số (trả lời)\",\"recipients\":[{\"agency\":\"000.20.30.H56\"}],\"signer\":\"leader-101\",\"reviewer\":\"department-head-101\",\"answersIncomingId\":\"$LETTER\"}" \
  | sed -E 's/.*"id":"(OUT-[^"]+)".*/\1/')
curl -s -o /dev/null -X PUT "$API/outgoing/$REPLY/document?fileName=cong-van-tra-loi.pdf" -H "Authorization: Bearer $OFFICER_101_TOKEN" -H 'If-Match: "1"' \
  -H 'Content-Type: application/pdf' --data-binary @docs/samples/cong-van-tra-loi.pdf
ostep $OFFICER_101_TOKEN $REPLY submission >/dev/null
ostep $DEPARTMENT_HEAD_101_TOKEN $REPLY review '{"decision":"pass"}' >/dev/null
expect "the reply signed on the director's phone" '"status":\{"code":"signed"' "$(sign_on_phone $LEADER_101_TOKEN $KEY3 /tmp/phone3.pem $REPLY)"
expect "the reply numbered there" '"symbol":"[0-9]+/SNV[-A-Z]*"' "$(ostep $RECORDS_CLERK_101_TOKEN $REPLY issue)"
API=$API_A
answered() { outgoing $OFFICER_TOKEN $OUT | grep -Eq '"recipient":"000.00.05.H56"[^}]*\}[^}]*"replyIncomingId":"IN-'; }
within 60 "the reply at the ward, linked to its letter" answered
# Each step went back as its own status (the ward's log shows 03, 04, 05, 06 applied); the latest one stands.
within 30 "the ward to hear it was handled (06)" ward_sees 06
# A second letter goes out with a wrong date; the ward's records clerk recalls it, and the other deployment
# cancels it and answers 15: its clerk can no longer register it.
send_outside "V/v tổ chức hội nghị triển khai công tác năm 2027"
OUT=$SENT
within 60 "the sealed second letter" sealed
within 60 "the second letter there (01)" ward_sees 01
expect "recalled by the ward" '"status":\{"code":"recalled"' "$(ostep $RECORDS_CLERK_TOKEN $OUT recall '{"reason":"Văn bản ghi sai ngày hội nghị."}')"
within 30 "the recall accepted there (15)" ward_sees 15
expect "cancelled there" '"reason":"Văn bản đã được hủy theo yêu cầu thu hồi."' "$(outgoing $OFFICER_TOKEN $OUT)"
echo "walk-through: every step answered as expected"
