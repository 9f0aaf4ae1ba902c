#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: each step checks the
# version already on PATH and skips itself when it is right. Facts behind the pins are in
# ../shared/notes/toolchain.md (Trunk 0.21.14, wasm-bindgen-cli = the lock's wasm-bindgen,
# wasm-opt from npm binaryen 132, Debian's Chromium, npm playwright-core; for the
# cross-engine suite Debian's firefox-esr, webkit2gtk-driver and xvfb, npm puppeteer-core
# and selenium-webdriver, pinned to versions that run on the machine's Node 20).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
PLAYWRIGHT_VERSION=1.64.1
AXE_VERSION=4.14.1
PUPPETEER_VERSION=24.43.1
SELENIUM_VERSION=4.46.0

log() { printf '[install] %s\n' "$*"; }

want_wasm_bindgen() {
  if [ -f Cargo.lock ]; then
    awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock
  else
    echo 0.2.130
  fi
}

step_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "wasm32 target: present"
  else
    rustup target add wasm32-unknown-unknown
  fi
}

step_trunk() {
  if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION"; then
    log "trunk $TRUNK_VERSION: present"
  else
    log "trunk $TRUNK_VERSION: installing (about 11 min on 2 cores)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
}

step_wasm_bindgen() {
  local v
  v=$(want_wasm_bindgen)
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $v"; then
    log "wasm-bindgen-cli $v: present"
  else
    # Not --locked: its lock names a webpki-roots the registry mirror lacks (toolchain.md).
    log "wasm-bindgen-cli $v: installing"
    cargo install wasm-bindgen-cli --version "$v"
  fi
}

step_node_packages() {
  local want="binaryen:$BINARYEN_VERSION playwright-core:$PLAYWRIGHT_VERSION axe-core:$AXE_VERSION puppeteer-core:$PUPPETEER_VERSION selenium-webdriver:$SELENIUM_VERSION"
  if [ -x node_modules/.bin/wasm-opt ] && node -e '
      const ok = process.argv[1].split(" ").every((pair) => {
        const [name, version] = pair.split(":");
        try { return require(`./node_modules/${name}/package.json`).version === version; } catch { return false; }
      });
      process.exit(ok ? 0 : 1);' "$want"; then
    log "npm $want: present"
  else
    log "npm packages: installing"
    npm ci --no-audit --no-fund || npm install --no-audit --no-fund
  fi
}

step_chromium() {
  if [ -x /usr/bin/chromium ]; then
    log "chromium: present ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
  else
    log "chromium: installing from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  fi
}

# The other two engines of the cross-engine suite (tests/engines/), and a display for
# WebKitGTK, which has no headless mode.
step_engines() {
  if command -v firefox-esr >/dev/null && command -v WebKitWebDriver >/dev/null && command -v xvfb-run >/dev/null; then
    log "engines: present ($(firefox-esr --version 2>/dev/null); WebKitGTK $(dpkg-query -W -f='${Version}' webkit2gtk-driver 2>/dev/null))"
  else
    log "engines: installing firefox-esr, webkit2gtk-driver and xvfb from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb >/dev/null
  fi
}

case "${1:-all}" in
  all) step_target; step_chromium; step_engines; step_node_packages; step_wasm_bindgen; step_trunk ;;
  *) "step_$1" ;;
esac
