#!/usr/bin/env bash
# Installs what is missing, starts Azurite (data kept in .local/azurite), seeds demo data and
# runs MotCua in standalone mode on http://127.0.0.1:7071. Demo tokens land in .local/demo-tokens.env.
# With --service-bus '<connection string>' the processing steps run on Azure Service Bus (a namespace
# in Azure, or the official emulator where Docker is at hand) instead of Azurite's storage queues; the
# queues must exist there (infra/main.bicep lists them).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
case "${1:-}" in
  "") ;;
  --service-bus)
    [ -n "${2:-}" ] || { log "usage: ./scripts/start.sh --service-bus 'Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…'"; exit 2; }
    export Queues__Transport=ServiceBus ServiceBusConnection="$2"
    log "queues: Azure Service Bus at $(sed -E 's/.*Endpoint=([^;]*).*/\1/' <<<"$2")" ;;
  *) log "usage: ./scripts/start.sh [--service-bus '<connection string>']"; exit 2 ;;
esac
mkdir -p .local
ensure_tools
start_azurite disk
[ -n "$AZURITE_PID" ] && trap 'kill $AZURITE_PID 2>/dev/null || true' EXIT

# The key that signs local demo tokens: made once, kept out of git.
[ -s .local/signing-key ] || openssl rand -base64 32 > .local/signing-key
export Auth__LocalSigningKey; Auth__LocalSigningKey=$(cat .local/signing-key)
export Demo__TokensFile="$ROOT/.local/demo-tokens.env"
# Signatures are trusted only up to the certificates placed here (anchors/, intermediates/, crls/).
mkdir -p .local/trust/anchors .local/trust/intermediates .local/trust/crls
export Signatures__TrustFolder="$ROOT/.local/trust"
export ASPNETCORE_ENVIRONMENT=Development

log "building and starting MotCua (standalone) on http://127.0.0.1:7071"
dotnet build functions/MotCua.FunctionApp -c Release -v quiet -nologo
dotnet run --project functions/MotCua.FunctionApp -c Release --no-build -- --urls http://127.0.0.1:7071 --seed-demo
