#!/usr/bin/env bash
# The heart of the walk-through again, through a client generated from the committed contract
# (mobile-contracts/openapi.json) with openapi-typescript and openapi-fetch, compiled with tsc:
# submit with a document, accept, look up publicly, read the inbox. Needs the app on 127.0.0.1:7071
# (./scripts/start.sh) and its demo tokens in .local/demo-tokens.env.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
set -a; source .local/demo-tokens.env; set +a
cd mobile-contracts/client-check
npm ci --silent --no-audit --no-fund --prefer-offline >/dev/null
npm run --silent generate >/dev/null
npm run --silent build
npm run --silent walkthrough
