#!/usr/bin/env bash
# Create .venv and install the locked dependencies; does nothing when they are already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Python 3.11 or newer is needed, and none was found. Install it, or set PYTHON." >&2
    return 1
}

if [ ! -x .venv/bin/python ]; then
    python="$(find_python)"
    echo "Creating .venv with $python"
    "$python" -m venv .venv
fi

stamp=".venv/.installed-$(sha256sum requirements.lock | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "Installing locked dependencies into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    rm -f .venv/.installed-*
    touch "$stamp"
fi

# WeasyPrint draws the PDFs (the leaflet, certificates) with Pango, and the leaflet is laid out for
# Liberation Sans (Arial's measurements). Install them with apt-get when they are missing.
pdf_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation)
if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for package in "${pdf_packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        if [ "$(id -u)" -eq 0 ]; then
            echo "Installing ${missing[*]} with apt-get (WeasyPrint needs them to draw PDFs)"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
        else
            echo "WeasyPrint needs ${missing[*]} to draw PDFs, and only root can install them." >&2
            echo "Run: sudo apt-get install ${missing[*]}" >&2
        fi
    fi
elif ! .venv/bin/python -c "import weasyprint" >/dev/null 2>&1; then
    echo "WeasyPrint cannot load Pango, so PDFs cannot be drawn. Install Pango 1.44 or newer" >&2
    echo "and the Liberation fonts with your system's package manager." >&2
fi
