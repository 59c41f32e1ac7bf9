#!/usr/bin/env bash
# Lints the mobile contract (mobile-contracts/openapi.json) with Redocly CLI's recommended rules
# (redocly.yaml), installed from npm into .tools/redocly. Warnings fail the lint as errors do.
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
