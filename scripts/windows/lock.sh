#!/usr/bin/env bash
# Resolve xl766's dependencies for Windows 64-bit (markers evaluated for Windows, not for the
# machine running this) into the committed lock the wheelhouse downloads exactly.
#   bash scripts/windows/lock.sh [3.11|3.12]
# Needs uv (`pip install uv`). 32-bit Windows is not supported: pandas ≥ 2.2 has no win32 wheels.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${1:-3.11}"
UV=$(command -v uv || echo "python3 -m uv")
$UV pip compile pyproject.toml --python-platform x86_64-pc-windows-msvc --python-version "$PY" \
    --only-binary :all: --no-header --no-annotate --generate-hashes \
    -o "scripts/windows/requirements-win_amd64-py${PY/./}.txt"
