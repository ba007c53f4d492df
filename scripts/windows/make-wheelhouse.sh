#!/usr/bin/env bash
# Build the offline installer folder for Windows PCs (64-bit Python 3.11), on any machine with
# network: dist/xl766-windows/ = wheelhouse/ (xl766 and every dependency, Windows wheels),
# cai-dat.bat and the templates. Copy that folder to the PC (USB, share) and run cai-dat.bat.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=dist/xl766-windows
rm -rf "$OUT" && mkdir -p "$OUT/wheelhouse"
python3 -m pip wheel -q --no-deps -w "$OUT/wheelhouse" .
python3 -m pip download -q -d "$OUT/wheelhouse" --only-binary=:all: \
    --platform win_amd64 --python-version 3.11 --implementation cp \
    "$(ls "$OUT"/wheelhouse/xl766-*.whl)" pywin32  # pip skips xlwings' Windows-only needs
cp scripts/windows/cai-dat.bat workbook/*.xlsm "$OUT/"
echo "Đã tạo $OUT ($(ls "$OUT/wheelhouse" | wc -l) tệp wheel)."
