#!/usr/bin/env bash
# Build the offline installer folder for Windows PCs, on any machine with network:
# dist/xl766-windows/ = wheelhouse/ (xl766 and exactly the committed Windows lock), cai-dat.bat and
# the templates. Copy that folder to the PC (USB, share) and run cai-dat.bat.
#   bash scripts/windows/make-wheelhouse.sh [--python 3.11|3.12]
# 64-bit Windows and 64-bit Office only: pandas ≥ 2.2 publishes no 32-bit Windows wheels.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=3.11
while [ $# -gt 0 ]; do
    case "$1" in
        --python) PY="$2"; shift 2 ;;
        --platform) [ "$2" = win_amd64 ] || { echo "Chỉ hỗ trợ Windows 64-bit (win_amd64): pandas không có bản 32-bit." >&2; exit 2; }; shift 2 ;;
        *) echo "Tham số không hiểu: $1" >&2; exit 2 ;;
    esac
done
LOCK="scripts/windows/requirements-win_amd64-py${PY/./}.txt"
[ -f "$LOCK" ] || { echo "Chưa có $LOCK: chạy bash scripts/windows/lock.sh $PY" >&2; exit 2; }
OUT=dist/xl766-windows
rm -rf "$OUT" && mkdir -p "$OUT/wheelhouse"
# from a clean tree: a build/ left by an earlier `pip install .` would be reused as it is
rm -rf build src/*.egg-info
python3 -m pip wheel -q --no-deps -w "$OUT/wheelhouse" .
# --require-hashes: every wheel must match the hash the lock recorded from PyPI
python3 -m pip download -q --no-deps --require-hashes -d "$OUT/wheelhouse" --only-binary=:all: \
    --platform win_amd64 --python-version "$PY" --implementation cp -r "$LOCK"
# the lock plus xl766's own wheel, each with its hash: cai-dat.bat installs with --require-hashes
WHEEL=$(ls "$OUT"/wheelhouse/xl766-*.whl)
VERSION=$(basename "$WHEEL" | cut -d- -f2)
{ cat "$LOCK"; echo "xl766==$VERSION --hash=sha256:$(sha256sum "$WHEEL" | cut -d' ' -f1)"; } \
    > "$OUT/wheelhouse/requirements.txt"
echo "$PY" > "$OUT/wheelhouse/python-version.txt"  # cai-dat.bat installs with this Python
python3 scripts/windows/check_wheelhouse.py "$LOCK" "$OUT/wheelhouse" --python "$PY"
cp scripts/windows/cai-dat.bat scripts/windows/cap-nhat-mau.bat workbook/*.xlsm "$OUT/"
echo "Đã tạo $OUT ($(ls "$OUT/wheelhouse" | wc -l) tệp, Python $PY 64-bit)."
