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
DEMO_SERVICES_PID=""
trap 'kill $AZURITE_PID $DEMO_SERVICES_PID 2>/dev/null || true' EXIT

# The key that signs local demo tokens: made once, kept out of git.
[ -s .local/signing-key ] || openssl rand -base64 32 > .local/signing-key
export Auth__LocalSigningKey; Auth__LocalSigningKey=$(cat .local/signing-key)
export Demo__TokensFile="$ROOT/.local/demo-tokens.env"
# Signatures are trusted only up to the certificates placed here (anchors/, intermediates/, crls/).
mkdir -p .local/trust/anchors .local/trust/intermediates .local/trust/crls
export Signatures__TrustFolder="$ROOT/.local/trust"
export ASPNETCORE_ENVIRONMENT=Development

# The demo certificate authority, made once under .local/demo-pki and trusted above: it issues the
# agency's seal and the time-stamping unit's certificate, and a certificate for each phone key
# registered without one. The local time-stamping authority (RFC 3161) serves on :7072.
mkdir -p .local/demo-pki
[ -s .local/demo-pki/password ] || (umask 077; openssl rand -base64 24 > .local/demo-pki/password)
export DEMO_PKI_PASSWORD; DEMO_PKI_PASSWORD=$(cat .local/demo-pki/password)
log "building the demo services (certificate authority, time-stamping authority)"
dotnet build tools/MotCua.DemoServices -c Release -v quiet -nologo
DEMO_SERVICES=tools/MotCua.DemoServices/bin/Release/net10.0/MotCua.DemoServices.dll
dotnet "$DEMO_SERVICES" init --data .local/demo-pki --trust .local/trust
dotnet "$DEMO_SERVICES" serve --data .local/demo-pki --urls http://127.0.0.1:7072 &
DEMO_SERVICES_PID=$!
export Signing__Seal__Pkcs12Path="$ROOT/.local/demo-pki/seal.pfx" Signing__Seal__Pkcs12Password="$DEMO_PKI_PASSWORD"
export Signing__DemoAuthority__Pkcs12Path="$ROOT/.local/demo-pki/demo-root.pfx" Signing__DemoAuthority__Pkcs12Password="$DEMO_PKI_PASSWORD"
export Signing__Timestamp__Url=http://127.0.0.1:7072/tsa
# What signatures show in the demo: the wards' seal and the chairman's signature image (Decree 30 Appendix I),
# and the QR codes of a receipt and a result leading to this machine's pages (lookup, document check).
export Signing__Agencies__000_20_30_H56__SealImage=Demo/seal.png Signing__Agencies__000_21_31_H56__SealImage=Demo/seal.png
export Signing__People__chairman_001__SignatureImage=Demo/signature.png
export Results__PublicCheckBaseUrl=http://127.0.0.1:7071/xac-thuc Forms__PublicLookupUrl=http://127.0.0.1:7071/tra-cuu

log "building and starting MotCua (standalone) on http://127.0.0.1:7071"
dotnet build functions/MotCua.FunctionApp -c Release -v quiet -nologo
dotnet run --project functions/MotCua.FunctionApp -c Release --no-build -- --urls http://127.0.0.1:7071 --seed-demo
