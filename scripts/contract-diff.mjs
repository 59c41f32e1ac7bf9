// Compares the mobile contract with the contract of its previous version (api-smart-diff): a change a generated
// client can break on needs a major version, unless mobile-contracts/description-corrections.json lists it for the
// current version as a correction of the description (the API answered so before).
// Usage: node contract-diff.mjs <previous openapi.json> <current openapi.json> <description-corrections.json>
import { apiDiff } from "api-smart-diff";
import { readFileSync } from "node:fs";

const [previousPath, currentPath, correctionsPath] = process.argv.slice(2);
const previous = JSON.parse(readFileSync(previousPath, "utf8"));
const current = JSON.parse(readFileSync(currentPath, "utf8"));
const corrections = JSON.parse(readFileSync(correctionsPath, "utf8"))[current.info.version] ?? [];
const major = version => Number(version.split(".")[0]);

const diffs = apiDiff(previous, current);
const describe = d => `${d.action} ${d.path.join("/")}`;
const breaking = diffs.filter(d => d.type === "breaking").map(describe);
const unlisted = breaking.filter(change => !corrections.includes(change));
console.log(`${previous.info.version} → ${current.info.version}: ${diffs.filter(d => d.type === "non-breaking").length} compatible changes, `
  + `${breaking.length} breaking (${breaking.length - unlisted.length} listed as corrections).`);
if (unlisted.length > 0 && major(current.info.version) <= major(previous.info.version)) {
  console.error(`Breaking for a generated client without a new major version (${current.info.version}):`);
  for (const change of unlisted) console.error(`  ${change}`);
  process.exit(1);
}
