"""The anchor for `bench_report.py`: the least a Python script can do to produce the national
appendix. It reads the input workbook once (openpyxl, read-only), scores with plain arithmetic,
and writes with XlsxWriter the three Biểu sheets (header block, the same rows and columns, number
formats, borders), one bar chart per group over all units, and a sheet per group with each
unit's group points and share and each indicator's points, rate and counts, plus a row of the
summed counts (the same cells xl766's "Biểu nhóm" sheets hold), and the sub-indicator appendix
(the set's headline indicators per unit, "Phụ lục chỉ tiêu"). No checks, no narrative, no plans,
no history.

Run: python benchmarks/anchor_report.py INPUT.xlsx OUTPUT.xlsx
"""

from __future__ import annotations

import sys

import xlsxwriter
from openpyxl import load_workbook

from xl766.catalog import load_indicator_set
from xl766.catalog.models import Rule


def read(path: str) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True, data_only=True)
    sheets = {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}
    book.close()
    return sheets


def score(rows: list[tuple], indicator_set) -> list[tuple]:
    """(name, group points, total, band, {indicator: (points, percent, tu, mau)}) per unit."""
    header = rows[0]
    where = {name: header.index(name) for name in header}
    scored = []
    for row in rows[1:]:
        groups, figures = [], {}
        for group in indicator_set.groups:
            points = 0.0
            for indicator in group.indicators:
                tu = row[where[f"{indicator.code}/tu"]]
                mau = row[where[f"{indicator.code}/mau"]]
                if not mau:
                    got = indicator.max_points if indicator.zero_denominator == "full" else 0
                    percent = None
                else:
                    percent = tu / mau * 100
                    if indicator.rule is Rule.TARGET:
                        got = indicator.max_points * min(1, percent / indicator.target_percent)
                    else:
                        got = indicator.max_points * percent / 100
                points += got
                figures[indicator.code] = (round(got, 2), percent, tu, mau)
            groups.append(round(points, 2))
        total = sum(groups)
        scored.append((row[where["ten_don_vi"]], groups, total, indicator_set.band_for(total),
                       figures))
    scored.sort(key=lambda r: -r[2])
    return scored


def block(sheet, formats, title: str, width: int) -> None:
    sheet.merge_range(0, 0, 0, 2, "ỦY BAN NHÂN DÂN", formats["bold"])
    sheet.merge_range(0, width - 5, 0, width - 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      formats["bold"])
    sheet.merge_range(1, width - 5, 1, width - 1, "Độc lập - Tự do - Hạnh phúc", formats["bold"])
    sheet.merge_range(4, 0, 4, width - 1, title, formats["bold"])
    sheet.merge_range(5, 0, 5, width - 1, "(Kèm theo Báo cáo số …)", formats["italic"])


def table(sheet, formats, header: list[str], rows: list[list], number_formats: list[str]):
    for col, label in enumerate(header):
        sheet.write_string(7, col, label, formats["head"])
    cells = [formats[f] for f in number_formats]
    for r, row in enumerate(rows, start=8):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, value, cells[c])
            else:
                sheet.write_number(r, c, value, cells[c])
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(7)
    sheet.fit_to_pages(1, 0)


def main(source: str, target: str) -> None:
    indicator_set = load_indicator_set("766-2026")
    sheets = read(source)
    scored = score(sheets["Nhập liệu"], indicator_set)
    book = xlsxwriter.Workbook(target, {"strings_to_formulas": False})
    base = {"font_name": "Times New Roman", "font_size": 12}
    formats = {name: book.add_format({**base, **spec}) for name, spec in {
        "bold": {"bold": True, "align": "center"}, "italic": {"italic": True, "align": "center"},
        "head": {"bold": True, "border": 1, "text_wrap": True, "align": "center"},
        "text": {"border": 1}, "int": {"border": 1, "num_format": "0"},
        "count": {"border": 1, "num_format": "#,##0"},
        "points": {"border": 1, "num_format": "0.00"},
        "percent": {"border": 1, "num_format": "0.00%"}}.items()}

    sheet = book.add_worksheet("Biểu 01")
    groups = [g.name for g in indicator_set.groups]
    block(sheet, formats, "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI", len(groups) + 5)
    rows = [[n, name, *g, total, band, n] for n, (name, g, total, band, _) in
            enumerate(scored, start=1)]
    table(sheet, formats, ["STT", "TÊN CƠ QUAN, ĐƠN VỊ", *groups, "ĐIỂM", "Xếp loại", "Hạng"],
          rows, ["int", "text", *["points"] * len(groups), "points", "text", "int"])
    for position, group in enumerate(groups):
        chart = book.add_chart({"type": "bar"})
        chart.add_series({"name": group, "categories": ["Biểu 01", 8, 1, 7 + len(rows), 1],
                          "values": ["Biểu 01", 8, 2 + position, 7 + len(rows), 2 + position]})
        sheet.insert_chart(8 + 20 * position, len(groups) + 6, chart)

    for position, group in enumerate(indicator_set.groups):
        sheet = book.add_worksheet(f"Biểu nhóm {group.code}")
        block(sheet, formats, f"KẾT QUẢ NHÓM {group.name.upper()}", 5 + 4 * len(group.indicators))
        rows, sums = [], {i.code: [0, 0] for i in group.indicators}
        for n, (name, g, _, _, figures) in enumerate(scored, start=1):
            row = [n, name, g[position], group.max_points, g[position] / group.max_points]
            for indicator in group.indicators:
                got, percent, tu, mau = figures[indicator.code]
                row += [got, percent if percent is not None else "", tu, mau]
                sums[indicator.code][0] += tu
                sums[indicator.code][1] += mau
            rows.append(row)
        rows.append(["", "Toàn đơn vị", "", "", ""] + [
            v for tu, mau in sums.values() for v in ("", tu / mau * 100 if mau else "", tu, mau)])
        table(sheet, formats, ["STT", "Tên", "Điểm", "Tối đa", "Tỷ lệ"] + [
            f"{i.code} {part}" for i in group.indicators for part in ("điểm", "%", "tử", "mẫu")],
            rows, ["int", "text", "points", "points", "percent"]
            + ["points", "points", "count", "count"] * len(group.indicators))

    # the sub-indicator appendix: the set's headline indicators' rate and counts per unit
    headline = list(indicator_set.headline)
    sheet = book.add_worksheet("Phụ lục chỉ tiêu")
    block(sheet, formats, "MỘT SỐ TIÊU CHÍ THÀNH PHẦN", 3 + 3 * len(headline))
    rows, sums = [], {code: [0, 0] for code in headline}
    for n, (name, _, _, _, figures) in enumerate(scored, start=1):
        row = [n, name, ""]
        for code in headline:
            _, percent, tu, mau = figures[code]
            row += [percent if percent is not None else "", tu, mau]
            sums[code][0] += tu
            sums[code][1] += mau
        rows.append(row)
    rows.append(["", "Tỷ lệ chung", ""] + [
        v for tu, mau in sums.values() for v in (tu / mau * 100 if mau else "", tu, mau)])
    table(sheet, formats, ["STT", "Tên", "Mã"] + [
        f"{code} {part}" for code in headline for part in ("%", "tử", "mẫu")],
        rows, ["int", "text", "text"] + ["points", "count", "count"] * len(headline))

    fees = sheets["Phí, lệ phí"]
    sheet = book.add_worksheet("Biểu 02")
    block(sheet, formats, "THỐNG KÊ PHÍ, LỆ PHÍ", 13)
    rows = []
    for n, row in enumerate(fees[1:], start=1):
        name, unpaid, unpaid_fee, direct, direct_fee, procedures, online, online_fee, all_p = row
        dossiers = unpaid + direct + online
        rows.append([n, name, unpaid, unpaid_fee, direct, direct_fee, procedures, online,
                     online_fee, all_p, dossiers, unpaid_fee + direct_fee + online_fee,
                     online / dossiers if dossiers else 0])
    table(sheet, formats, ["STT", "Tên", *fees[0][1:], "Tổng số hồ sơ", "Tổng phí", "Tỷ lệ"],
          rows, ["int", "text", *["count"] * 10, "percent"])

    digitised = sheets["Số hóa"]
    sheet = book.add_worksheet("Biểu 03")
    block(sheet, formats, "KẾT QUẢ SỐ HÓA", 10)
    rows = []
    for n, (name, received, parts, solved, results) in enumerate(digitised[1:], start=1):
        rows.append([n, name, received, parts, parts / received if received else 0,
                     received - parts, solved, results, results / solved if solved else 0,
                     solved - results])
    table(sheet, formats, ["STT", "Đơn vị", "(1)", "(2)", "(3)", "(5)", "(6)", "(7)", "(8)", "(9)"],
          rows, ["int", "text", "count", "count", "percent", "count", "count", "count",
                 "percent", "count"])
    book.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
