#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh Debian/Ubuntu machine (or a developer's).
# Installs LibreOffice (Calc, and Writer for its PDF export), its Python bridge (to run the ribbon
# macros) and poppler (to render PDF pages) when missing: the second readers of generated
# workbooks. Python packages go into .venv (a system Python may refuse pip: PEP 668).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_install() {
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null \
        || ! ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1 \
        || ! /usr/bin/python3 -c "import uno" 2>/dev/null; then
    apt_install libreoffice-calc libreoffice-writer python3-uno poppler-utils
fi
if [ ! -x .venv/bin/pip ]; then
    python3 -m venv .venv 2>/dev/null \
        || { rm -rf .venv; apt_install python3-venv; python3 -m venv .venv; }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" ruff==0.17.6
export XL766_REQUIRE_SOFFICE=1
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -q "$@"
