"""Build examples/tuan-giao-2023-09.xlsx: the Tuần Giáo September 2023 figures (transcribed from
the published report, beside this file as .tsv) filled into the input sheets of the template.

Run: python examples/build_tuan_giao.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
SETTINGS = {
    "co_quan_chu_quan": "ỦY BAN NHÂN DÂN",
    "co_quan_bao_cao": "HUYỆN TUẦN GIÁO",
    "ten_co_quan": "UBND huyện Tuần Giáo",
    "dia_ban": "TRÊN ĐỊA BÀN HUYỆN TUẦN GIÁO",
    "doi_tuong": "UBND các xã, thị trấn",
    "ky_bao_cao": "2023-09",
    "bo_chi_so": "dienbien-459-2023",
}


def printed_number(text: str):
    """'1.229.100' → 1229100, '8,72' → 8.72, '-' → 0, '' → None (as a clerk types them)."""
    text = text.strip()
    if not text:
        return None
    if text == "-":
        return 0
    value = float(text.replace(".", "").replace(",", ".").rstrip("%")) if "," in text or \
        text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3) \
        else float(text.rstrip("%"))
    return int(value) if value.is_integer() and "," not in text else value


def rows(name: str) -> list[dict]:
    with open(HERE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def sheet(book, title: str, header: list[str], body: list[list]) -> None:
    ws = book.create_sheet(title)
    ws.append(header)
    for row in body:
        ws.append(row)


def main() -> None:
    book = Workbook()
    book.remove(book.active)
    sheet(book, "Cấu hình", ["khoa", "gia_tri"], [[k, v] for k, v in SETTINGS.items()])

    scores = rows("tuan-giao-2023-09-bieu01.tsv")
    components = list(scores[0])[2:13]
    sheet(book, "Nhập liệu",
          ["ten_don_vi", *[c.split(" ")[0] for c in components], "TONG"],
          [[r["ten_don_vi"], *[printed_number(r[c]) for c in components],
            printed_number(r["diem_dat_duoc"])] for r in scores])

    fees = rows("tuan-giao-2023-09-bieu02.tsv")
    fee_columns = list(fees[0])[2:]
    sheet(book, "Phí, lệ phí", ["ten_don_vi", *fee_columns],
          [[r["ten_don_vi"], *[printed_number(r[c]) for c in fee_columns]] for r in fees])

    digitised = rows("tuan-giao-2023-09-bieu03.tsv")
    wanted = {"(1) tiep_nhan": "tiep_nhan", "(2) co_so_hoa_tphs": "co_so_hoa_tphs",
              "(5) chua_so_hoa_tphs": "chua_so_hoa_tphs",
              "(6)=(7)+(9) da_giai_quyet": "da_giai_quyet",
              "(7) co_so_hoa_ket_qua": "co_so_hoa_ket_qua",
              "(9) chua_so_hoa_ket_qua": "chua_so_hoa_ket_qua"}
    sheet(book, "Số hóa", ["ten_don_vi", *wanted.values()],
          [[r["ten_don_vi"], *[printed_number(r[c]) for c in wanted]] for r in digitised])
    book.save(HERE / "tuan-giao-2023-09.xlsx")


if __name__ == "__main__":
    main()
