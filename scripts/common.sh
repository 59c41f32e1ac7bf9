# Shared by start.sh and test.sh: install what is missing and start Azurite.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AZURITE_VERSION=3.37.0
AZURITE_DIR="$ROOT/.tools/azurite"
AZURITE_JS="$AZURITE_DIR/node_modules/azurite/dist/src/azurite.js"

log() { printf '\033[1m[motcua]\033[0m %s\n' "$*" >&2; }

need_apt() {
  # Installs Debian packages that are missing (the machines here run as root).
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_tools() {
  command -v dotnet >/dev/null || { log "the .NET 10 SDK is required (dotnet on PATH)"; exit 1; }
  command -v node >/dev/null || need_apt nodejs
  command -v npm >/dev/null || need_apt npm
  command -v curl >/dev/null || need_apt curl
  command -v openssl >/dev/null || need_apt openssl
  # Forms are set in DejaVu (full Vietnamese coverage, free licence).
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt fonts-dejavu-core
  # Documents are read by poppler (text layer, rendering) and tesseract (OCR, Vietnamese).
  need_apt poppler-utils tesseract-ocr tesseract-ocr-vie
  ensure_azurite
}

# start.sh and test.sh both start Azurite when nothing listens on its ports, so both install it.
ensure_azurite() {
  [ -f "$AZURITE_JS" ] && return
  log "installing Azurite $AZURITE_VERSION into .tools/azurite"
  mkdir -p "$AZURITE_DIR"
  npm install --silent --no-audit --no-fund --prefer-offline --prefix "$AZURITE_DIR" "azurite@$AZURITE_VERSION" >/dev/null
}

# What only the tests need: independent readers of the PDFs and QR codes the app writes,
# qpdf to make password-protected files, and for the public pages a real browser (Debian's
# chromium, which Playwright drives; its own browser download does not work here) with axe-core
# injected from .tools/axe-core to check accessibility.
AXE_CORE_VERSION=4.14.1
AXE_CORE_DIR="$ROOT/.tools/axe-core"
ensure_test_tools() {
  command -v zbarimg >/dev/null || need_apt zbar-tools
  command -v qpdf >/dev/null || need_apt qpdf
  [ -x /usr/bin/chromium ] || need_apt chromium
  if [ "$(node -p "require('$AXE_CORE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_CORE_VERSION" ]; then
    log "installing axe-core $AXE_CORE_VERSION into .tools/axe-core"
    mkdir -p "$AXE_CORE_DIR"
    npm install --silent --no-audit --no-fund --prefer-offline --prefix "$AXE_CORE_DIR" "axe-core@$AXE_CORE_VERSION" >/dev/null
  fi
}

azurite_listening() {
  for port in 10000 10001 10002; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
  done
}

# start_azurite memory|disk: starts Azurite unless something already listens on its ports.
# Sets AZURITE_PID when it started one.
start_azurite() {
  AZURITE_PID=""
  if azurite_listening; then log "Azurite already listening on 10000-10002"; return; fi
  local storage=(--inMemoryPersistence)
  if [ "$1" = disk ]; then mkdir -p "$ROOT/.local/azurite"; storage=(--location "$ROOT/.local/azurite"); fi
  node "$AZURITE_JS" "${storage[@]}" --disableTelemetry --silent --skipApiVersionCheck >"$ROOT/.local/azurite.log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 100); do azurite_listening && { log "Azurite started (pid $AZURITE_PID)"; return; }; sleep 0.2; done
  log "Azurite did not start; see .local/azurite.log"; exit 1
}
