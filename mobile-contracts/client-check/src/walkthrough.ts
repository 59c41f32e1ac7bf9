// The heart of the README's walk-through, as a mobile app would do it with a client generated from
// mobile-contracts/openapi.json: a citizen submits a dossier with a document, the desk accepts it,
// anyone holding the receipt looks it up, and the citizen reads the inbox. Exits non-zero on any failure.
import { readFile } from "node:fs/promises";
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Problem = { type?: string; title?: string; status?: number };

const baseUrl = process.env.MOTCUA_URL ?? "http://127.0.0.1:7071";
const api = createClient<paths>({ baseUrl });
const bearer = (name: string) => {
  const token = process.env[name];
  if (!token) throw new Error(`${name} is not set (source .local/demo-tokens.env)`);
  return { Authorization: `Bearer ${token}` };
};

function ok(step: string, detail: string) {
  console.log(`ok  client: ${step}: ${detail}`);
}

function expect(step: string, condition: boolean, detail: unknown): asserts condition {
  if (!condition) throw new Error(`${step}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
}

/** Waits for a condition the app reaches on its own (queues, outbox), up to a limit. */
async function within<T>(seconds: number, step: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${step}: not within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main() {
  const citizen = bearer("CITIZEN_TOKEN");
  const clerk = bearer("CLERK_TOKEN");

  // Submit: the JSON 'dossier' part first, then the PDF 'document' part.
  const dossier: components["schemas"]["DossierForm"] = {
    procedureCode: "1.000656",
    receivingUnit: "000.20.30.H56",
    applicant: { fullName: "Phạm Thị Lan", idNumber: "001190054321" },
  };
  const pdf = await readFile(new URL("../../../docs/samples/to-khai.pdf", import.meta.url));
  const submitted = await api.POST("/api/dossiers", {
    headers: { ...citizen },
    params: { header: { "Idempotency-Key": `client-check-${Date.now()}` } },
    body: { dossier, document: [] },
    bodySerializer: (body) => {
      const form = new FormData();
      form.append("dossier", new Blob([JSON.stringify(body.dossier)], { type: "application/json" }));
      form.append("document", new Blob([pdf], { type: "application/pdf" }), "to-khai.pdf");
      return form;
    },
  });
  expect("submit", submitted.response.status === 201 && submitted.data !== undefined, submitted.error ?? submitted.response.status);
  const { code, lookupPin } = submitted.data;
  expect("submit", typeof submitted.data.status.code === "number", submitted.data);
  ok("submitted", `${code}, status ${submitted.data.status.code} (${submitted.data.status.name})`);

  // Registration and the document check happen on queues: wait for status 1 with the document recorded.
  const registered = await within(60, "registration and document check", async () => {
    const { data, response } = await api.GET("/api/dossiers/{code}", { params: { path: { code } }, headers: clerk });
    const etag = response.headers.get("ETag");
    return data && etag && data.status.code === 1 && data.documentChecks.recorded === 1 ? { data, etag } : undefined;
  });
  ok("registered, document checked", `version ${registered.data.version}, ETag ${registered.etag}`);

  // Accept with If-Match: the ETag just read.
  const accepted = await api.POST("/api/dossiers/{code}/actions/{action}", {
    params: { path: { code, action: "accept" }, header: { "If-Match": registered.etag } },
    headers: clerk,
    body: { comment: "Hồ sơ đầy đủ" },
  });
  expect("accept", accepted.data?.status.code === 2, accepted.error ?? accepted.response.status);
  ok("accepted", `${accepted.data.status.name}, due ${accepted.data.progress.dueAt}`);

  // Accepting again with the old version is refused with a named problem type.
  const again = await api.POST("/api/dossiers/{code}/actions/{action}", {
    params: { path: { code, action: "accept" }, header: { "If-Match": registered.etag } },
    headers: clerk,
    body: {},
  });
  const problem = again.error as Problem | undefined;
  expect("accept again", again.response.status === 412 && problem?.type?.startsWith("https://motcua.vn/problems/") === true, problem ?? again.response.status);
  ok("the same accept again is refused", `${again.response.status} ${problem.type}`);

  // Anyone with the receipt: code and PIN in the body (never in the address), no sign-in.
  const lookup = await api.POST("/api/public/dossiers/lookup", { body: { code, pin: lookupPin } });
  expect("public lookup", lookup.data?.code === code && lookup.data.status.code === 2, lookup.error ?? lookup.response.status);
  ok("public lookup", `${lookup.data.procedureName}: ${lookup.data.status.name}, ${lookup.data.steps.length} steps`);

  // The citizen's inbox tells of the acceptance (the outbox delivers it shortly after).
  const notice = await within(60, "the citizen's inbox", async () => {
    const { data } = await api.GET("/api/me/notifications", { params: { query: { pageSize: 20 } }, headers: citizen });
    return data?.items.find((n) => n.dossierCode === code && n.status === 2);
  });
  ok("inbox", `${notice.title} (${notice.kind}, read: ${notice.read})`);
  const unread = await api.GET("/api/me/notifications/unread-count", { headers: citizen });
  expect("unread count", typeof unread.data?.unread === "number" && unread.data.unread >= 1, unread.error ?? unread.response.status);
  ok("unread count", String(unread.data.unread));
}

main().catch((e: unknown) => {
  console.error(`FAILED client: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
