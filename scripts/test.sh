#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh Debian/Ubuntu machine (or a developer's).
# Installs LibreOffice, its Python bridge (to run the ribbon macros) and poppler (to render PDF
# pages) when missing: the second readers of generated workbooks.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null \
        || ! /usr/bin/python3 -c "import uno" 2>/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc python3-uno \
        poppler-utils >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test]" ruff
export XL766_REQUIRE_SOFFICE=1
ruff check src tests benchmarks
python3 -m pytest -q "$@"
