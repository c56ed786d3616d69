#!/usr/bin/env bash
# Install the Debian packages the portal needs, only those missing.
#   scripts/system_deps.sh run    what `make run` needs (WeasyPrint's libraries and fonts)
#   scripts/system_deps.sh test   plus what the tests use (Chromium, pdfsig/pdftotext, zbarimg,
#                                 and axe-core from the npm registry for the browser checks)
set -euo pipefail

RUN_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core gettext)
TEST_PACKAGES=("${RUN_PACKAGES[@]}" poppler-utils zbar-tools chromium)

case "${1:-run}" in
  run) wanted=("${RUN_PACKAGES[@]}") ;;
  test) wanted=("${TEST_PACKAGES[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

# The browser checks (USE-02) inject axe-core, pinned in tests/e2e/node/package-lock.json.
install_axe() {
  [ "${1:-run}" = test ] || return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e/node"
  [ -f "$dir/node_modules/axe-core/axe.min.js" ] && return 0
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
}

if [ "${1:-run}" = test ] && ! command -v npm >/dev/null 2>&1; then
  wanted+=(npm)
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then install_axe "${1:-run}"; exit 0; fi

echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Please install as root: apt-get install -y ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_axe "${1:-run}"
