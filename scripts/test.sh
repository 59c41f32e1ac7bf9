#!/usr/bin/env bash
# Runs every test against real Azurite (started here when nothing listens on its ports) and ends
# with one line: "N passed, N failed, N skipped", counted from the test results.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
mkdir -p .local
ensure_tools
ensure_test_tools
start_azurite memory
[ -n "$AZURITE_PID" ] && trap 'kill $AZURITE_PID 2>/dev/null || true' EXIT

results="$ROOT/.test-results"
rm -rf "$results"
dotnet test Serverless.sln -nologo --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  value() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
[ "$files" -gt 0 ] || { log "no test results were written"; status=1; }
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
