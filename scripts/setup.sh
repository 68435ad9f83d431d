#!/usr/bin/env bash
# Installs what smecyber needs on a fresh Debian/Ubuntu machine: Debian packages (the lab's DNS servers,
# gettext, WeasyPrint's libraries, Chromium for the browser tests, pdftotext), a Python virtual environment
# with the project and its dev tools, axe-core for the browser tests (when npm exists), and the compiled
# translations. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

need_apt=()
command -v knotd >/dev/null 2>&1 || need_apt+=(knot)
command -v unbound >/dev/null 2>&1 || need_apt+=(unbound)
command -v ldns-signzone >/dev/null 2>&1 || need_apt+=(ldnsutils)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v dig >/dev/null 2>&1 || need_apt+=(bind9-dnsutils)  # dig, for people debugging the lab
command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)  # compilemessages
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)  # the PDF report tests read the text
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)  # browser tests (playwright drives Debian's)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)  # PDF reports
# WeasyPrint 70 loads these with dlopen (gobject, harfbuzz and fontconfig come with them)
has_lib 'libpango-1.0.so.0' || need_apt+=(libpango-1.0-0)
has_lib 'libpangoft2-1.0.so.0' || need_apt+=(libpangoft2-1.0-0)
has_lib 'libharfbuzz-subset.so.0' || need_apt+=(libharfbuzz-subset0)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install ${need_apt[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

stamp="$VENV/.installed"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into $VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -e '.[dev]'
  touch "$stamp"
fi

# axe-core for the accessibility checks of the browser tests, pinned by tests/browser/package-lock.json
browser=tests/browser
if [ -f "$browser/package.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    if [ ! -f "$browser/node_modules/axe-core/axe.min.js" ] || [ "$browser/package-lock.json" -nt "$browser/node_modules" ]; then
      echo "setup: installing axe-core into $browser/node_modules"
      (cd "$browser" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
      touch "$browser/node_modules"
    fi
  else
    echo "setup: npm not found; the browser tests' accessibility checks need it (apt-get install npm)" >&2
  fi
fi

# Compiled translations: a .mo beside each .po, rebuilt when missing or older than its .po
locale=src/smecyber/locale
if [ -d "$locale" ] && command -v msgfmt >/dev/null 2>&1; then
  stale=""
  while IFS= read -r po; do
    mo="${po%.po}.mo"
    if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then stale="$po"; break; fi
  done < <(find "$locale" -name '*.po')
  if [ -n "$stale" ]; then
    echo "setup: compiling translations"
    tmp_data=$(mktemp -d)
    # from the package directory: compilemessages walks the working directory (and must not walk .venv)
    (cd src/smecyber && SMECYBER_DATA_DIR="$tmp_data" DJANGO_SETTINGS_MODULE=smecyber.web.settings \
      "../../$VENV/bin/python" -m django compilemessages -v 0)
    rm -rf "$tmp_data"
  fi
fi
