# Shared by scripts/example and scripts/test: a virtual environment with the package and
# a Chromium, installed only when missing. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PRIVACY_PAGES_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.privacy-pages-installed"
if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
  echo "==> installing privacy-pages and its test tools into $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[site,audit,test]"
  touch "$stamp"
fi

find_chromium() {
  if [ -n "${PRIVACY_PAGES_CHROMIUM:-}" ] && [ -x "$PRIVACY_PAGES_CHROMIUM" ]; then
    echo "$PRIVACY_PAGES_CHROMIUM"; return 0
  fi
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

if ! find_chromium >/dev/null && ! "$VENV/bin/python" -c \
  "from privacy_audit.collect.browser import find_browser; find_browser(None)" 2>/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Chromium (Debian package 'chromium')"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: no Chromium found. Install one (Debian/Ubuntu: sudo apt-get install chromium;" \
         "or: $VENV/bin/playwright install chromium), or set PRIVACY_PAGES_CHROMIUM=/path/to/chrome" >&2
    exit 2
  fi
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "warning: npm not found: audit tests install real consent managers from the npm registry" >&2
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
