"""Write the report workbook with XlsxWriter: Times New Roman, numbers stored as numbers with
format codes, A4 landscape, header rows repeated on every page, native charts, conditional
formatting. Every text from data goes through write_string, so it can never become a formula."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from xl766.adapters.palette import BELOW_TARGET_FILL, band_fill
from xl766.catalog.models import ConversionMethod
from xl766.engine.group_tables import group_table, headline_table
from xl766.engine.inputs import UNIT_NAME
from xl766.engine.numbers import format_number
from xl766.engine.scoring import tolerance_text
from xl766.report.content import HEADING, ReportContent, reconciliation_sentence
from xl766.report.layout import Head, Leaf, depth, header_cells, leaves

FONT = "Times New Roman"
COUNT, MONEY, POINTS_1, POINTS_2, PERCENT = "#,##0", '#,##0;-#,##0;"-"', "0.0", "0.00", "0.00%"
CHANGE = "+0.00;-0.00;0"
HEADER_TOP = 7  # rows 0–5 hold the document header block
RECONCILIATION_SHEET = "Đối chiếu với Cổng"


class _Styles:
    def __init__(self, book):
        self.book = book
        self._cache: dict = {}

    def __call__(self, **spec):
        key = tuple(sorted(spec.items()))
        if key not in self._cache:
            self._cache[key] = self.book.add_format({"font_name": FONT, "font_size": 12, **spec})
        return self._cache[key]

    def cell(self, number_format=None, **extra):
        spec = {"border": 1, "valign": "vcenter", **extra}
        if number_format:
            spec["num_format"] = number_format
        return self(**spec)


def _document_header(sheet, styles, content: ReportContent, label: str, title: str,
                     width: int) -> None:
    settings = content.settings
    left = max(2, width // 3)
    right_start = max(left + 1, width // 2)
    bold_center = styles(bold=True, align="center", valign="vcenter")
    sheet.merge_range(0, 0, 0, left - 1, "", bold_center)
    sheet.write_string(0, 0, settings.co_quan_chu_quan, bold_center)
    sheet.merge_range(1, 0, 1, left - 1, "", bold_center)
    sheet.write_string(1, 0, settings.co_quan_bao_cao, bold_center)
    sheet.merge_range(0, right_start, 0, width - 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      bold_center)
    sheet.merge_range(1, right_start, 1, width - 1, "Độc lập - Tự do - Hạnh phúc",
                      styles(bold=True, font_size=13, align="center"))
    # Short rules under the agency and under the motto (Nghị định 30/2020/NĐ-CP), as top borders
    # of the middle cells of the row below.
    for start, end in ((0, left - 1), (right_start, width - 1)):
        middle = (start + end) // 2
        for col in range(max(start, middle - (end - start) // 4),
                         min(end, middle + (end - start) // 4) + 1):
            sheet.write_blank(2, col, None, styles(top=1))
    sheet.merge_range(3, 0, 3, width - 1, label, bold_center)
    sheet.merge_range(4, 0, 4, width - 1, "", styles(bold=True, align="center",
                                                     valign="vcenter", text_wrap=True))
    sheet.write_string(4, 0, settings.fill(title).upper(),
                       styles(bold=True, align="center", valign="vcenter", text_wrap=True))
    sheet.set_row(4, 48)
    sheet.merge_range(5, 0, 5, width - 1, "", styles(italic=True, align="center"))
    sheet.write_string(5, 0, settings.attachment_line(content.document_word),
                       styles(italic=True, align="center"))


def _plain(values) -> list:
    """A column's values for the writer: None where there is none (NaN, NA)."""
    series = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    return series.astype(object).where(series.notna(), None).tolist()


def _write_column(sheet, first_row: int, col: int, values: list, style) -> None:
    for row, value in enumerate(values, start=first_row):
        if value is None:
            sheet.write_blank(row, col, None, style)
        elif isinstance(value, str):
            sheet.write_string(row, col, value, style)
        else:
            sheet.write_number(row, col, float(value), style)


_LINE_PT = 15.5  # one line of 12 pt text
_CHARS_PER_WIDTH = 1.15  # characters of bold Times New Roman a unit of column width holds


def _header_heights(tree, columns) -> dict[int, float]:
    """Each header row tall enough for the wrapped labels it carries (a label merged down several
    rows shares their height)."""
    heights = dict.fromkeys(range(HEADER_TOP, HEADER_TOP + depth(tree)), _LINE_PT * 1.5)
    for r1, c1, r2, c2, label in header_cells(tree, HEADER_TOP):
        room = sum(leaf.width for leaf in columns[c1:c2 + 1]) * _CHARS_PER_WIDTH
        lines = math.ceil(len(label) / max(room - 2, 1))
        needed = (lines + 0.5) * _LINE_PT / (r2 - r1 + 1)
        for row in range(r1, r2 + 1):
            heights[row] = max(heights[row], needed)
    return heights


def _table(sheet, styles, tree, rows: pd.DataFrame, total: dict | None) -> tuple[int, int]:
    """Header tree, then the rows (one column of ``rows`` per leaf key), then an optional TỔNG
    row. Written column by column, one format per column. Returns the data rows' first and last
    sheet row."""
    header_style = styles(bold=True, align="center", valign="vcenter", text_wrap=True, border=1)
    for r1, c1, r2, c2, label in header_cells(tree, HEADER_TOP):
        if (r1, c1) == (r2, c2):
            sheet.write_string(r1, c1, label, header_style)
        else:
            sheet.merge_range(r1, c1, r2, c2, label, header_style)
    columns = leaves(tree)
    for col, leaf in enumerate(columns):
        sheet.set_column(col, col, leaf.width)
    first = HEADER_TOP + depth(tree)
    for row, height in _header_heights(tree, columns).items():
        sheet.set_row(row, height)
    aligns = ["left" if leaf.number_format is None else "right" for leaf in columns]
    sheet.write_columns(first, 0, [
        (_plain(rows[leaf.key]) if leaf.key in rows else [None] * len(rows),
         styles.cell(leaf.number_format, align=align, **{"text_wrap": True} if leaf.wrap else {}))
        for leaf, align in zip(columns, aligns, strict=True)])
    if total is not None:
        sheet.write_columns(first + len(rows), 0, [
            (_plain([total.get(leaf.key)]), styles.cell(leaf.number_format, bold=True, align=align))
            for leaf, align in zip(columns, aligns, strict=True)])
    last = first + max(len(rows) - 1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(HEADER_TOP, first - 1)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    sheet.freeze_panes(first, 2)
    return first, last


def _band_formats(sheet, styles, content: ReportContent, first: int, last: int,
                  band_col: int, score_col: int) -> None:
    bands = content.indicator_set.classification.bands
    for position, band in enumerate(bands):
        fill = styles(bg_color=band_fill(position))
        sheet.conditional_format(first, band_col, last, band_col, {
            "type": "cell", "criteria": "==", "value": f'"{band.label}"', "format": fill})
        upper = bands[position - 1].min_points if position else None
        rule = ({"criteria": ">=", "value": band.min_points} if upper is None else
                {"criteria": "between", "minimum": band.min_points,
                 "maximum": upper - 1e-9})
        sheet.conditional_format(first, score_col, last, score_col,
                                 {"type": "cell", "format": fill, **rule})


def _bieu_01(book, styles, content: ReportContent) -> None:
    s = content.indicator_set
    scores, summary = content.scores, content.scores.summary
    period = content.settings.period
    if s.report_columns == "indicators":
        groups = []
        for group in s.groups:
            if len(group.indicators) == 1:
                groups.append(Leaf(f"{group.name} ({format_number(group.max_points)}đ)",
                                   group.code, POINTS_1, 11))
            else:
                groups.append(Head(group.name, tuple(
                    Leaf(f"{i.name} ({format_number(i.max_points)}đ)", i.code, POINTS_2, 9)
                    for i in group.indicators)))
        scored = [Head("ĐIỂM CÁC CHỈ SỐ", tuple(groups))]
    else:
        scored = [Head("ĐIỂM CÁC NHÓM CHỈ SỐ", tuple(
            Leaf(f"{g.name} ({format_number(g.max_points)}đ)", g.code, POINTS_2, 12)
            for g in s.groups))]
    tail = [Leaf("ĐIỂM ĐẠT ĐƯỢC", "total", POINTS_2, 11)]
    if s.conversion.method is ConversionMethod.APPLICABLE_MAX:
        tail.append(Leaf("TỔNG ĐIỂM QUY ĐỔI", "converted", POINTS_1, 11))
    tail += [Leaf(f"Xếp loại {period.words()}", "band", None, 12), Leaf("Xếp hạng", "rank", "0", 8)]
    if content.previous is not None:
        tail.append(Head("So với kỳ trước", (Leaf("Điểm kỳ trước", "prev", POINTS_2, 10),
                                              Leaf("Tăng (+) / giảm (−)", "delta", CHANGE, 10),
                                              Leaf("Hạng kỳ trước", "prev_rank", "0", 8),
                                              Leaf("Hạng tăng (+) / giảm (−)", "rank_change",
                                                   "+0;-0;0", 9))))
    tree = (Leaf("STT", "stt", "0", 5), Leaf("TÊN CƠ QUAN, ĐƠN VỊ", "unit", None, 30),
            *scored, *tail)
    order = scores.ranking_order()
    rows = pd.concat([scores.units.loc[order, ["unit"]], scores.indicators.loc[order],
                      scores.groups.loc[order],
                      summary.loc[order, ["total", "converted", "band", "rank"]]], axis=1)
    rows.insert(0, "stt", range(1, len(rows) + 1))
    if content.previous is not None:
        before = content.previous.loc[order]
        rows["prev"], rows["prev_rank"] = before["converted"], before["rank"]
        rows["delta"], rows["rank_change"] = before["delta"], before["rank_change"]
    sheet = book.add_worksheet("Biểu 01")
    columns = leaves(tree)
    _document_header(sheet, styles, content, "Biểu số 01", content.settings.tieu_de_bieu_01,
                     len(columns))
    first, last = _table(sheet, styles, tree, rows, None)
    _signed_by(sheet, styles, content, last + 2, len(leaves(tree)))
    keys = [leaf.key for leaf in columns]
    score_key = "converted" if "converted" in keys else "total"
    _band_formats(sheet, styles, content, first, last, keys.index("band"), keys.index(score_key))


def _appendix_rows(appendix) -> tuple[pd.DataFrame, dict]:
    rows = appendix.rows.assign(stt=range(1, len(appendix.rows) + 1),
                                unit=appendix.rows[UNIT_NAME])
    total = {"unit": "TỔNG SỐ", **appendix.total.to_dict()}
    return rows, total


def _bieu_02(book, styles, content: ReportContent) -> None:
    table = content.fees
    target = content.online_target
    share_label = "Tỷ lệ hồ sơ thanh toán trực tuyến" + (
        f" (chỉ tiêu ≥ {format_number(target)}%)" if target is not None else "")
    tree = (Leaf("STT", "stt", "0", 5), Leaf("Tên cơ quan/đơn vị", "unit", None, 28),
            Head("Chưa thanh toán", (Leaf("Số hồ sơ", "chua_tt_so_ho_so", COUNT, 9),
                                     Leaf("Phí, lệ phí", "chua_tt_phi", MONEY, 12))),
            Head("Đã thanh toán", (
                Head("Trực tiếp", (Leaf("Số hồ sơ", "truc_tiep_so_ho_so", COUNT, 9),
                                   Leaf("Phí, lệ phí", "truc_tiep_phi", MONEY, 12))),
                Head("Trực tuyến", (Leaf("Số TTHC", "truc_tuyen_so_tthc", COUNT, 8),
                                    Leaf("Số hồ sơ", "truc_tuyen_so_ho_so", COUNT, 9),
                                    Leaf("Phí, lệ phí", "truc_tuyen_phi", MONEY, 12))))),
            Head("Tổng", (Leaf("Tổng số TTHC", "tong_so_tthc", COUNT, 9),
                          Leaf("Tổng số hồ sơ", "tong_so_ho_so", COUNT, 9),
                          Leaf("Tổng phí, lệ phí", "tong_phi", MONEY, 13))),
            Leaf(share_label, "ty_le_truc_tuyen", PERCENT, 14))
    sheet = book.add_worksheet("Biểu 02")
    _document_header(sheet, styles, content, "Biểu số 02", content.settings.tieu_de_bieu_02,
                     len(leaves(tree)))
    rows, total = _appendix_rows(table)
    first, last = _table(sheet, styles, tree, rows, total)
    _signed_by(sheet, styles, content, last + 3, len(leaves(tree)))
    if target is not None:
        col = len(leaves(tree)) - 1
        sheet.conditional_format(first, col, last, col, {
            "type": "cell", "criteria": "<", "value": target / 100,
            "format": styles(bg_color=BELOW_TARGET_FILL)})


def _bieu_03(book, styles, content: ReportContent) -> None:
    def numbered(label, tag, key, fmt, width=11):
        return Head(label, (Leaf(tag, key, fmt, width),))

    tree = (Leaf("STT", "stt", "0", 5), Leaf("Đơn vị (Cơ quan)", "unit", None, 28),
            Head("Số hóa hồ sơ TTHC khi tiếp nhận", (
                numbered("Số hồ sơ tiếp nhận", "(1)", "tiep_nhan", COUNT),
                numbered("Số hồ sơ có số hóa thành phần HS", "(2)", "co_so_hoa_tphs", COUNT),
                numbered("Tỷ lệ số hồ sơ có số hóa đầy đủ thành phần HS khi tiếp nhận",
                         "(3)=(2)/(1)", "ty_le_tphs", PERCENT, 14),
                numbered("Số hồ sơ chưa số hóa TPHS", "(5)=(1)-(2)", "chua_so_hoa_tphs", COUNT))),
            Head("Số hóa kết quả giải quyết TTHC", (
                numbered("Số hồ sơ đã giải quyết", "(6)=(7)+(9)", "da_giai_quyet", COUNT),
                numbered("Số hồ sơ có số hóa kết quả", "(7)", "co_so_hoa_ket_qua", COUNT),
                numbered("Tỷ lệ số hóa kết quả hồ sơ", "(8)=(7)/(6)", "ty_le_ket_qua", PERCENT,
                         12),
                numbered("Số hồ sơ chưa số hóa kết quả TTHC", "(9)", "chua_so_hoa_ket_qua",
                         COUNT))))
    sheet = book.add_worksheet("Biểu 03")
    _document_header(sheet, styles, content, "Biểu số 03", content.settings.tieu_de_bieu_03,
                     len(leaves(tree)))
    rows, total = _appendix_rows(content.digitisation)
    _, last = _table(sheet, styles, tree, rows, total)
    _signed_by(sheet, styles, content, last + 3, len(leaves(tree)))


def _group_sheets(book, styles, content: ReportContent) -> None:
    """One appendix a group: its points and share per unit, each indicator's points, rate and
    counts, and the office's row from the summed counts."""
    for number, group in enumerate(content.indicator_set.groups, start=1):
        if not group.indicators:
            continue
        table = group_table(content.scores, group)
        parts = []
        for indicator in group.indicators:
            columns = [Leaf("Điểm", indicator.code, POINTS_2, 7)]
            if table.with_rates:
                columns += [Leaf("Tỷ lệ (%)", f"{indicator.code}%", POINTS_2, 8),
                            Leaf("Tử số", f"{indicator.code}/tu", COUNT, 8),
                            Leaf("Mẫu số", f"{indicator.code}/mau", COUNT, 8)]
            parts.append(Head(f"{indicator.code}. {indicator.name} "
                              f"({format_number(indicator.max_points)}đ)", tuple(columns)))
        tree = (Leaf("STT", "stt", "0", 5), Leaf("TÊN CƠ QUAN, ĐƠN VỊ", "unit", None, 28),
                Head(f"Nhóm {group.name} ({format_number(group.max_points)}đ)", (
                    Leaf("Điểm đạt", "points", POINTS_2, 8),
                    Leaf("Điểm tối đa áp dụng", "top", POINTS_2, 9),
                    Leaf("Tỷ lệ đạt", "share", PERCENT, 9))), *parts)
        rows = table.rows.assign(stt=range(1, len(table.rows) + 1))
        previous = content.previous
        if previous is not None and previous[group.code].notna().any():
            tree += (Head("So với kỳ trước", (Leaf("Điểm kỳ trước", "prev", POINTS_2, 9),
                                               Leaf("Tăng (+) / giảm (−)", "delta", CHANGE, 9))),)
            rows["prev"] = previous.loc[rows.index, group.code]
            rows["delta"] = previous.loc[rows.index, f"{group.code}/delta"]
        sheet = book.add_worksheet(f"Biểu nhóm {group.code}")
        title = (f"KẾT QUẢ NHÓM CHỈ SỐ {group.name.upper()} "
                 f"{content.settings.period.words().upper()}")
        _document_header(sheet, styles, content, f"Biểu số 01.{number}", title, len(leaves(tree)))
        _, last = _table(sheet, styles, tree, rows, table.office)
        _signed_by(sheet, styles, content, last + 3, len(leaves(tree)))


def _plans_sheet(book, styles, content: ReportContent) -> None:
    """Kế hoạch cải thiện: units by the fewest dossiers to their next band, with the steps."""
    if not content.plans or not any(p.gains for p in content.plans):
        return
    from xl766.adapters.plans import table
    from xl766.engine.plans import ASSUMPTION

    rows = table(content.scores, content.plans)
    rows = rows[rows["so_ho_so_can_them"].notna() | rows["cac_buoc"].notna()].reset_index(
        drop=True)
    tree = (Leaf("STT", "stt", "0", 5), Leaf("TÊN CƠ QUAN, ĐƠN VỊ", "ten_don_vi", None, 30),
            Leaf("Tổng điểm", "tong_diem", POINTS_2, 8), Leaf("Xếp loại", "xep_loai", None, 11),
            Head("Để đạt loại kế tiếp", (
                Leaf("Loại", "loai_ke_tiep", None, 10),
                Leaf("Số hồ sơ cần thêm ít nhất", "so_ho_so_can_them", COUNT, 10),
                Leaf("Tổng điểm sau", "tong_diem_sau", POINTS_2, 8),
                Leaf("Các bước", "cac_buoc", None, 70, wrap=True))),
            Leaf("Điểm đơn vị còn có thể tăng", "diem_co_the_tang", POINTS_2, 10),
            Leaf("Điểm mất ở chỉ số ngoài tầm đơn vị", "diem_ngoai_tam_don_vi", POINTS_2, 10),
            Leaf("Chỉ số cần số liệu tử/mẫu", "chi_so_can_tu_mau", None, 16))
    sheet = book.add_worksheet("Kế hoạch cải thiện")
    title = f"KẾ HOẠCH CẢI THIỆN ĐIỂM THEO SỐ LIỆU {content.settings.period.words().upper()}"
    _document_header(sheet, styles, content, "Phụ lục", title, len(leaves(tree)))
    _, last = _table(sheet, styles, tree, rows.assign(stt=range(1, len(rows) + 1)), None)
    sheet.write_string(last + 2, 1, f"Cách tính: {ASSUMPTION}; số hồ sơ ít nhất tính chính xác "
                                    "theo quy tắc và cách làm tròn của bộ chỉ số.",
                       styles(italic=True))
    if len(content.plans) > len(rows):
        sheet.write_string(last + 3, 1, f"Bảng nêu {len(rows)} đơn vị (gần loại kế tiếp nhất và "
                                        "thấp nhất); kế hoạch của mọi đơn vị: lệnh xl766 "
                                        "cai-thien.", styles(italic=True))


def _headline_sheet(book, styles, content: ReportContent) -> None:
    """Phụ lục: the set's headline indicators' rate and counts per unit, like a district's web
    notice, and the office's rates from the summed counts."""
    indicator_set = content.indicator_set
    if not indicator_set.headline:
        return
    rows, office = headline_table(content.scores)
    names = {i.code: i.name for i in indicator_set.indicators}
    tree = (Leaf("STT", "stt", "0", 5), Leaf("TÊN CƠ QUAN, ĐƠN VỊ", "unit", None, 30),
            Leaf("Mã định danh", "code", None, 12),
            *[Head(f"{names[code]} ({code})", (
                Leaf("Tỷ lệ (%)", f"{code}%", POINTS_2, 9),
                Leaf("Số hồ sơ đạt", f"{code}/tu", COUNT, 10),
                Leaf("Tổng số hồ sơ", f"{code}/mau", COUNT, 10)))
              for code in indicator_set.headline])
    sheet = book.add_worksheet("Phụ lục chỉ tiêu")
    title = (f"MỘT SỐ TIÊU CHÍ THÀNH PHẦN CỦA CÁC CƠ QUAN, ĐƠN VỊ "
             f"{content.settings.period.words().upper()}")
    _document_header(sheet, styles, content, "Phụ lục", title, len(leaves(tree)))
    _, last = _table(sheet, styles, tree, rows.assign(stt=range(1, len(rows) + 1)), office)
    _signed_by(sheet, styles, content, last + 3, len(leaves(tree)))


def _follow_up(book, styles, content: ReportContent) -> None:
    """Theo dõi: the alerts first, then the office's line period by period with a line chart,
    then each unit's total over the periods with a sparkline and its band now."""
    from xlsxwriter.utility import xl_range

    trend = content.trend
    if trend is None:
        return
    sheet = book.add_worksheet("Theo dõi")
    head = styles(bold=True, border=1, align="center", valign="vcenter", text_wrap=True)
    text, bold = styles.cell(None, align="left"), styles(bold=True, font_size=13)
    periods = [c for c in trend.units.columns if c != "unit"]
    sheet.write_string(0, 0, f"THEO DÕI {len(periods)} KỲ GẦN NHẤT ĐẾN "
                             f"{content.settings.period.words().upper()}", bold)
    row, wide = 2, max(7, len(periods) + 3)  # an alert spans the columns right of its unit
    sheet.write_string(row, 0, f"Cảnh báo ({len(trend.alerts)})", bold)
    sheet.write_string(row + 1, 0, "STT", head)
    sheet.write_string(row + 1, 1, "Đơn vị", head)
    sheet.merge_range(row + 1, 2, row + 1, wide, "Cảnh báo", head)
    for number, (unit, alert) in enumerate(trend.alerts, start=1):
        sheet.write_number(row + 1 + number, 0, number, styles.cell("0"))
        sheet.write_string(row + 1 + number, 1, unit, text)
        sheet.merge_range(row + 1 + number, 2, row + 1 + number, wide, alert, text)
    row += len(trend.alerts) + 3
    office = trend.office
    sheet.write_string(row, 0, "Điểm của cơ quan qua các kỳ", bold)
    columns = ["total", *[c for c in office.columns if c != "total"]]
    names = {g.code: g.name for g in content.indicator_set.groups} | {"total": "Tổng điểm"}
    for col, label in enumerate(["Kỳ", *[names.get(c, c) for c in columns]]):
        sheet.write_string(row + 1, col, label, head)
    sheet.set_row(row + 1, 48)
    first = row + 2
    _write_column(sheet, first, 0, office.index.tolist(), text)
    for col, key in enumerate(columns, start=1):
        _write_column(sheet, first, col, _plain(office[key]), styles.cell(POINTS_2))
    chart = book.add_chart({"type": "line"})
    for col, key in enumerate(columns, start=1):
        chart.add_series({"name": names.get(key, key), "marker": {"type": "circle"},
                          "categories": ["Theo dõi", first, 0, first + len(office) - 1, 0],
                          "values": ["Theo dõi", first, col, first + len(office) - 1, col]})
    chart.set_title({"name": "Điểm của cơ quan qua các kỳ",
                     "name_font": {"name": FONT, "size": 12}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 320})
    sheet.insert_chart(row, len(columns) + 2, chart)
    row = max(first + len(office), row + 17) + 1
    sheet.write_string(row, 0, "Tổng điểm từng đơn vị qua các kỳ", bold)
    labels = ["STT", "Đơn vị", *periods, "Xu hướng", f"Xếp loại {content.settings.period.words()}"]
    for col, label in enumerate(labels):
        sheet.write_string(row + 1, col, label, head)
    sheet.set_row(row + 1, 32)
    first = row + 2
    units = trend.units
    _write_column(sheet, first, 0, list(range(1, len(units) + 1)), styles.cell("0"))
    _write_column(sheet, first, 1, units["unit"].tolist(), text)
    for col, period in enumerate(periods, start=2):
        _write_column(sheet, first, col, _plain(units[period]), styles.cell(POINTS_2))
    trend_col = 2 + len(periods)
    bands = content.scores.summary.loc[units.index, "band"]
    _write_column(sheet, first, trend_col + 1, _plain(bands), text)
    for offset in range(len(units)):
        sheet.write_blank(first + offset, trend_col, None, styles.cell(None))
        cells = xl_range(first + offset, 2, first + offset, trend_col - 1)
        sheet.add_sparkline(first + offset, trend_col, {"range": f"'Theo dõi'!{cells}",
                                                         "markers": True})
    sheet.set_column(0, 0, 9)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, trend_col + 1, 11)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


CHART_UNITS = 40  # bars a printed page can hold; above it, distributions and the lowest units
LOWEST_UNITS = 20
_BRACKETS = 10  # score brackets of 10% of the maximum
_ROW_PX = 20


class _ChartSheet:
    """Blocks of a small table with its chart beside it, one block per printed page."""

    def __init__(self, book, styles):
        self.book, self.styles = book, styles
        self.sheet = book.add_worksheet("Biểu đồ")
        self.name = self.sheet.get_name()
        self.row, self.breaks = 0, []
        self.sheet.set_column(0, 0, 34)
        self.sheet.set_column(1, 6, 11)

    def block(self, title: str, header: tuple[str, ...], rows: list[list], formats: tuple,
              chart: dict, series: list[dict], height: int, axis: dict | None = None) -> None:
        styles, sheet, top = self.styles, self.sheet, self.row
        if top:
            self.breaks.append(top)
        head = styles(bold=True, border=1, align="center", valign="vcenter", text_wrap=True)
        sheet.merge_range(top, 0, top, len(header) - 1, title, head)
        sheet.set_row(top, 32)  # room for a title on two lines
        for col, label in enumerate(header):
            sheet.write_string(top + 1, col, label, head)
        first = top + 2
        for col, fmt in enumerate(formats):
            _write_column(sheet, first, col, [r[col] for r in rows], styles.cell(fmt))
        last = first + len(rows) - 1
        made = self.book.add_chart(chart)
        for spec in series:
            column = spec["column"]
            made.add_series({key: value for key, value in spec.items() if key != "column"}
                            | {"categories": [self.name, first, 0, last, 0],
                               "values": [self.name, first, column, last, column]})
        made.set_title({"name": title, "name_font": {"name": FONT, "size": 12}})
        made.set_legend({"none": True} if len(series) == 1 else {"position": "bottom"})
        made.set_size({"width": 640, "height": height})
        if axis and chart["type"] == "bar":  # a bar chart's values run along x
            made.set_x_axis(axis)
        elif axis:
            made.set_y_axis(axis)
        if chart["type"] == "bar":
            made.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
        sheet.insert_chart(top, len(header) + 1, made)
        self.row = max(last + 1, top + height // _ROW_PX) + 2

    def finish(self) -> None:
        self.sheet.set_h_pagebreaks(self.breaks)
        self.sheet.set_landscape()
        self.sheet.set_paper(9)
        self.sheet.fit_to_pages(1, 0)


def _charts(book, styles, content: ReportContent) -> None:
    """Per group, in percent of each unit's applicable maximum (a unit at 100% looks full): the
    units sorted by it when a page can hold them; else how many units fall in each 10% bracket,
    and the lowest units. Then the bands, and the bands by parent unit when codes have parents."""
    scores = content.scores
    page = _ChartSheet(book, styles)
    units = scores.units["unit"].fillna("").to_numpy(object)
    percent_axis = {"min": 0, "max": 1, "num_format": "0%", "num_font": {"name": FONT}}
    for group in content.indicator_set.groups:
        points = scores.groups[group.code].to_numpy(float)
        share = scores.group_share(group.code)
        scored = np.flatnonzero(~np.isnan(share))
        label = f"{group.name} ({format_number(group.max_points)}đ)"
        if len(scored) <= CHART_UNITS:
            shown = scored[np.argsort(-share[scored], kind="stable")]
            title = f"Biểu đồ 766 — {label}"
        else:
            counts = np.bincount(np.minimum((share[scored] * _BRACKETS).astype(int),
                                            _BRACKETS - 1), minlength=_BRACKETS)
            brackets = [[f"{10 * b}–{10 * b + 10}%" if b < _BRACKETS - 1 else "90–100%",
                         int(n)] for b, n in enumerate(counts)]
            page.block(f"{label}: số đơn vị theo mức điểm (% điểm tối đa)",
                       ("Mức điểm", "Số đơn vị"), brackets, (None, "0"), {"type": "column"},
                       [{"name": "Số đơn vị", "column": 1, "fill": {"color": "#4472C4"},
                         "data_labels": {"value": True}}], 360)
            shown = scored[np.argsort(share[scored], kind="stable")][:LOWEST_UNITS]
            title = f"{label}: {LOWEST_UNITS} đơn vị thấp nhất"
        rows = [[units[i], points[i], share[i]] for i in shown]
        page.block(title, ("Đơn vị", "Điểm", "Tỷ lệ %"), rows, (None, POINTS_2, PERCENT),
                   {"type": "bar"}, [{"name": group.name, "column": 2,
                                      "fill": {"color": "#4472C4"},
                                      "data_labels": {"value": True, "num_format": "0%"}}],
                   max(260, 14 * len(rows) + 80), percent_axis)
    bands = content.indicator_set.classification.bands
    counts = [[b.label, int((scores.summary["band"] == b.label).sum())] for b in bands]
    page.block("Phân bố xếp loại", ("Xếp loại", "Số đơn vị"), counts, (None, "0"),
               {"type": "column"}, [{"name": "Số đơn vị", "column": 1, "data_labels":
                                     {"value": True}, "points": [
                                         {"fill": {"color": band_fill(i)},
                                          "border": {"color": "#595959"}}
                                         for i in range(len(bands))]}], 320)
    parents = scores.units["code"].fillna("").str.split(".", n=1).str[0]
    parents = parents.where(scores.units["code"].fillna("").str.contains(".", regex=False), "")
    if parents[parents != ""].nunique() > 1:
        table = pd.crosstab(parents[parents != ""], scores.summary["band"])
        table = table.reindex(columns=[b.label for b in bands], fill_value=0)
        rows = [[parent, *map(int, values)] for parent, values in
                zip(table.index, table.to_numpy(), strict=True)]
        page.block("Xếp loại theo đơn vị cấp trên", ("Đơn vị cấp trên",
                                                     *(b.label for b in bands)),
                   rows, (None, *["0"] * len(bands)), {"type": "bar", "subtype": "stacked"},
                   [{"name": b.label, "column": i + 1, "fill": {"color": band_fill(i)},
                     "border": {"color": "#595959"}}
                    for i, b in enumerate(bands)], max(320, 18 * len(rows) + 100),
                   {"num_font": {"name": FONT}})
    page.finish()


_NARRATIVE_WIDTH = 62  # column units: an A4 portrait line (units are measured in the default font)


def _narrative(book, styles, content: ReportContent) -> None:
    """The report's text, for reading on screen; the Word draft (--van-ban) is the one to send."""
    sheet = book.add_worksheet("Báo cáo")
    sheet.set_column(0, 0, _NARRATIVE_WIDTH)
    plain = styles(text_wrap=True, valign="top", align="justify")
    heading = styles(bold=True, text_wrap=True, valign="top")
    for row, (kind, paragraph) in enumerate(content.paragraphs):
        sheet.write_string(row, 0, paragraph, heading if kind == HEADING else plain)
        lines = math.ceil(len(paragraph) / _NARRATIVE_WIDTH) or 1
        sheet.set_row(row, lines * _LINE_PT + 4)
    sheet.set_paper(9)
    sheet.set_margins(left=0.8, right=0.6, top=0.8, bottom=0.8)
    sheet.set_print_scale(100)  # the column is a page wide already; fitting would enlarge it


def _signed_by(sheet, styles, content: ReportContent, row: int, width: int) -> None:
    """'Người lập biểu' and the name under a Biểu, at the left, as the Cấu hình names them."""
    span = max(2, width // 3)
    sheet.merge_range(row, 0, row, span - 1, "NGƯỜI LẬP BIỂU", styles(bold=True, align="center"))
    name = content.settings.nguoi_lap_bieu
    if name:
        sheet.merge_range(row + 4, 0, row + 4, span - 1, "", styles(bold=True, align="center"))
        sheet.write_string(row + 4, 0, name, styles(bold=True, align="center"))


def _reconciliation(book, styles, content: ReportContent) -> None:
    """Per indicator and group: how many published points, how many differ; then each one."""
    checked = content.scores.reconciliation()
    sheet = book.add_worksheet(RECONCILIATION_SHEET)
    head = styles(bold=True, border=1, align="center", valign="vcenter", text_wrap=True)
    for col, width in enumerate((6, 40, 12, 12, 14, 14, 14)):
        sheet.set_column(col, col, width)
    differs, unmatched = checked["differs"], checked["unmatched"]
    sheet.merge_range(0, 0, 0, 6, "ĐỐI CHIẾU ĐIỂM TÍNH LẠI VỚI ĐIỂM CỔNG DVCQG CÔNG BỐ",
                      styles(bold=True, align="center"))
    sheet.merge_range(1, 0, 1, 6, "", styles(italic=True, align="center", text_wrap=True))
    sheet.write_string(1, 0, reconciliation_sentence(checked), styles(italic=True, align="center",
                                                                      text_wrap=True))
    sheet.set_row(1, 32)
    names = {i.code: i.name for i in content.indicator_set.indicators} | {
        g.code: g.name for g in content.indicator_set.groups}
    for col, label in enumerate(("STT", "Chỉ số / nhóm", "Mã", "Số điểm công bố",
                                 f"Số điểm chênh > {tolerance_text(checked)}", "Chưa tính lại được",
                                 "Chênh lớn nhất")):
        sheet.write_string(3, col, label, head)
    per_code = checked.assign(size=1, largest=checked["difference"].abs()).groupby(
        "indicator", sort=False).agg(size=("size", "sum"), differs=("differs", "sum"),
                                     unmatched=("unmatched", "sum"), largest=("largest", "max"))
    summary = ((range(1, len(per_code) + 1), "0"),
               ([names.get(code, code) for code in per_code.index], None),
               (per_code.index, None), (per_code["size"], "0"), (per_code["differs"], "0"),
               (per_code["unmatched"], "0"), (per_code["largest"], "0.00"))
    for col, (values, fmt) in enumerate(summary):
        _write_column(sheet, 4, col, _plain(list(values)), styles.cell(fmt))
    row = 5 + len(per_code)
    sheet.write_string(row, 0, "Các điểm chênh lệch", styles(bold=True))
    detail = checked[differs | unmatched]
    if detail.empty:
        sheet.write_string(row + 1, 0,
                           f"Không có điểm nào chênh quá {tolerance_text(checked)}.")
    else:
        for col, label in enumerate(("Dòng", "Đơn vị", "Mã đơn vị", "Chỉ số / nhóm",
                                     "Điểm Cổng", "Điểm tính lại", "Chênh lệch")):
            sheet.write_string(row + 1, col, label, head)
    for col, (key, fmt) in enumerate((("row", "0"), ("unit", None), ("code", None),
                                      ("indicator", None), ("published", "0.00"),
                                      ("computed", "0.00"), ("difference", "0.00"))):
        _write_column(sheet, row + 2, col, _plain(detail[key]), styles.cell(fmt))
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)


def _checks(book, styles, content: ReportContent) -> None:
    sheet = book.add_worksheet("Kiểm tra")
    head = styles(bold=True, border=1, text_wrap=True)
    widths = (10, 18, 7, 18, 80)
    for col, (label, width) in enumerate(zip(("Mức", "Trang", "Dòng", "Cột", "Nội dung"), widths,
                                             strict=True)):
        sheet.write_string(0, col, label, head)
        sheet.set_column(col, col, width)
    levels = {"error": "Lỗi", "warning": "Cảnh báo", "note": "Ghi chú"}
    if not content.findings:
        sheet.write_string(1, 0, "Không có lỗi, cảnh báo hay ghi chú.")
    for row, item in enumerate(content.findings, start=1):
        f = item.finding
        sheet.write_string(row, 0, levels[str(f.level)], styles.cell())
        sheet.write_string(row, 1, item.sheet, styles.cell())
        if f.row is None:
            sheet.write_blank(row, 2, None, styles.cell())
        else:
            sheet.write_number(row, 2, f.row, styles.cell("0"))
        sheet.write_string(row, 3, f.column or "", styles.cell())
        sheet.write_string(row, 4, f.message, styles.cell(text_wrap=True))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(content.findings)), 4)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes


def write_report(content: ReportContent, path: Path) -> None:
    import xlsxwriter

    from xl766.report.table_sheet import TableSheet

    book = xlsxwriter.Workbook(str(path), {"tmpdir": str(Path(path).parent),
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False, "nan_inf_to_errors": True})
    book.worksheet_class = TableSheet
    styles = _Styles(book)
    _narrative(book, styles, content)
    _bieu_01(book, styles, content)
    _follow_up(book, styles, content)
    if content.fees is not None:
        _bieu_02(book, styles, content)
    if content.digitisation is not None:
        _bieu_03(book, styles, content)
    _group_sheets(book, styles, content)
    _headline_sheet(book, styles, content)
    _plans_sheet(book, styles, content)
    _charts(book, styles, content)
    if not content.scores.published.empty:
        _reconciliation(book, styles, content)
    _checks(book, styles, content)
    for sheet in book.worksheets():
        sheet.set_footer('&C&"Times New Roman"&11Trang &P/&N')
    book.close()
