#!/usr/bin/env bash
# Lints the mobile contract (mobile-contracts/openapi.json) with Redocly CLI's recommended rules
# (redocly.yaml), installed from npm into .tools/redocly. Warnings fail the lint as errors do.
# Then compares it with the contract of its previous version (api-smart-diff, .tools/contract-diff):
# a change that breaks a generated client needs a new major version (scripts/contract-diff.mjs).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
REDOCLY_VERSION=2.77.0
dir="$ROOT/.tools/redocly"
redocly="$dir/node_modules/.bin/redocly"
if [ ! -x "$redocly" ] || [ "$("$redocly" --version 2>/dev/null)" != "$REDOCLY_VERSION" ]; then
  command -v npm >/dev/null || need_apt nodejs npm
  log "installing Redocly CLI $REDOCLY_VERSION into .tools/redocly"
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefer-offline --prefix "$dir" "@redocly/cli@$REDOCLY_VERSION" >/dev/null
fi
mkdir -p "$ROOT/.local"
out="$ROOT/.local/lint-contract.log"
status=0
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint mobile-contracts/openapi.json --max-problems 1000 >"$out" 2>&1 || status=$?
grep -vE '║|╔|╚' "$out" | grep -v '^\s*$' >&2 || true
# Redocly exits non-zero on errors only; a warning fails the lint too.
if [ "$status" -ne 0 ] || grep -qE 'You have [0-9]+ warnings?' "$out"; then log "mobile-contracts/openapi.json does not lint clean"; exit 1; fi
log "mobile-contracts/openapi.json lints clean (Redocly recommended rules)"

# The previous version: the contract at the newest commit whose info.version differs from the current one.
version_of() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).info.version))'; }
current=$(version_of < mobile-contracts/openapi.json)
previous_file=""
if git rev-parse --git-dir >/dev/null 2>&1; then
  for commit in $(git log --format=%H -- mobile-contracts/openapi.json); do
    version=$(git show "$commit:mobile-contracts/openapi.json" 2>/dev/null | version_of 2>/dev/null || true)
    if [ -n "$version" ] && [ "$version" != "$current" ]; then
      previous_file="$ROOT/.local/openapi-$version.json"
      git show "$commit:mobile-contracts/openapi.json" > "$previous_file"
      break
    fi
  done
fi
if [ -z "$previous_file" ]; then log "no earlier version of the contract to compare with"; exit 0; fi
API_SMART_DIFF_VERSION=1.0.6
diffdir="$ROOT/.tools/contract-diff"
if [ "$(node -p "require('$diffdir/node_modules/api-smart-diff/package.json').version" 2>/dev/null)" != "$API_SMART_DIFF_VERSION" ]; then
  log "installing api-smart-diff $API_SMART_DIFF_VERSION into .tools/contract-diff"
  mkdir -p "$diffdir"
  npm install --silent --no-audit --no-fund --prefer-offline --prefix "$diffdir" "api-smart-diff@$API_SMART_DIFF_VERSION" >/dev/null
fi
cp scripts/contract-diff.mjs "$diffdir/contract-diff.mjs"
node "$diffdir/contract-diff.mjs" "$previous_file" mobile-contracts/openapi.json mobile-contracts/description-corrections.json \
  || { log "mobile-contracts/openapi.json breaks clients of $(basename "$previous_file" .json | sed 's/openapi-//') without a new major version"; exit 1; }
