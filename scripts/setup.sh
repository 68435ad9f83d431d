#!/usr/bin/env bash
# Installs what smecyber needs on a fresh Debian/Ubuntu machine: the lab's DNS servers (Debian packages)
# and a Python virtual environment with the project and its dev tools. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
APT_PACKAGES=(knot unbound ldnsutils openssl bind9-dnsutils)

need_apt=()
command -v knotd >/dev/null 2>&1 || need_apt+=(knot)
command -v unbound >/dev/null 2>&1 || need_apt+=(unbound)
command -v ldns-signzone >/dev/null 2>&1 || need_apt+=(ldnsutils)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v dig >/dev/null 2>&1 || need_apt+=(bind9-dnsutils)  # dig, for people debugging the lab
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${APT_PACKAGES[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install ${APT_PACKAGES[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
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
