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
DEMO_SERVICES_PID="" EXCHANGE_PID="" NEIGHBOUR_PID=""
trap 'kill $AZURITE_PID $DEMO_SERVICES_PID $EXCHANGE_PID $NEIGHBOUR_PID 2>/dev/null || true' EXIT

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

# Liên thông: a local document exchange on :7073 (docs/exchange-protocol.md) between this deployment (the ward and
# Cam Lâm) and a second one on :7074, the province's Department of Home Affairs, with its own storage and tokens
# (.local/demo-tokens-neighbour.env), always on Azurite's queues. A real connection to the national axis needs what the README lists.
mkdir -p .local/exchange
cat > .local/exchange/agencies.json <<'AGENCIES'
[{"id":"000.20.30.H56","name":"Ủy ban nhân dân phường Nha Trang","system":"motcua-nha-trang"},
 {"id":"000.21.31.H56","name":"Ủy ban nhân dân xã Cam Lâm","system":"motcua-nha-trang"},
 {"id":"000.00.05.H56","name":"Sở Nội vụ tỉnh Khánh Hòa","system":"motcua-so-noi-vu"}]
AGENCIES
dotnet "$DEMO_SERVICES" exchange --data .local/exchange --agencies .local/exchange/agencies.json --urls http://127.0.0.1:7073 &
EXCHANGE_PID=$!
export Exchange__Endpoint=http://127.0.0.1:7073/exchange/

log "building and starting MotCua (standalone) on http://127.0.0.1:7071, and the neighbouring deployment on :7074"
dotnet build functions/MotCua.FunctionApp -c Release -v quiet -nologo
Storage__Prefix=sonoivu Queues__Transport=StorageQueues Demo__Profile=neighbour Demo__TokensFile="$ROOT/.local/demo-tokens-neighbour.env" Exchange__SystemId=motcua-so-noi-vu \
  dotnet run --project functions/MotCua.FunctionApp -c Release --no-build -- --urls http://127.0.0.1:7074 --seed-demo >"$ROOT/.local/neighbour.log" 2>&1 &
NEIGHBOUR_PID=$!
Exchange__SystemId=motcua-nha-trang dotnet run --project functions/MotCua.FunctionApp -c Release --no-build -- --urls http://127.0.0.1:7071 --seed-demo
