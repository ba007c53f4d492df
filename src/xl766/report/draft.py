"""The fields the Word forms' tags name, computed from the report's content. Text from data goes
in as text (docxtpl escapes it); numbers are printed the Vietnamese way (90,8; 1.229.100).

Field names are the forms' public contract: an office's edited template keeps using them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from xl766.adapters.palette import band_fill
from xl766.engine import narrative
from xl766.engine.group_tables import OFFICE_ROW, GroupTable, group_table, headline_table
from xl766.engine.inputs import OFFICE_KIND
from xl766.engine.names import lower_first
from xl766.engine.numbers import format_number
from xl766.engine.periods import (
    NOT_COMPARABLE,
    OfficeFigures,
    comparable_groups,
    exact_difference,
    movement,
    office_figures,
)
from xl766.engine.scoring import INCOMPLETE, NO_DOSSIERS, NOT_REPORTED, Scores
from xl766.report.charts import bands as band_chart
from xl766.report.charts import shares as share_chart
from xl766.report.content import PLANS_IN_TEXT, ReportContent, reconciliation_sentence
from xl766.report.settings import BLANK

PLACEHOLDER = "[Cán bộ soạn thảo bổ sung: {}]"
MOST_ROWS, SHOWN_WHEN_MORE = 40, 20  # a national table shows its weakest 20 and says so
MOST_APPENDIX_ROWS = 500
UNSCORED_FILL = "#BFBFBF"


def _ended(items: list[str]) -> list[str]:
    """List lines as NĐ 30 ends them: ";" after each, "." after the last."""
    return [f"{item}{'.' if position == len(items) - 1 else ';'}"
            for position, item in enumerate(items)]


def _points(value: float, top: float) -> str:
    """'18,72/20', '12,8/15', '30/30': as the reports write a group's points."""
    return f"{_trimmed(format_number(value, 2))}/{_trimmed(format_number(top, 2))}"


def _trimmed(number: str) -> str:
    return number.rstrip("0").removesuffix(",") if "," in number else number


def _percent(share: float) -> str:
    return format_number(share * 100, 2) if share == share else ""


def _capped(rows: list[dict], what: str) -> tuple[list[dict], str]:
    """All rows, or past MOST_ROWS the weakest SHOWN_WHEN_MORE with a line saying so."""
    if len(rows) <= MOST_ROWS:
        return rows, ""
    return rows[-SHOWN_WHEN_MORE:], (
        f"Bảng nêu {SHOWN_WHEN_MORE} đơn vị thấp nhất trong {format_number(len(rows))} đơn vị; "
        f"đủ danh sách tại {what} kèm theo.")


def _figures(table: GroupTable, office: dict | None) -> list[dict]:
    """Each indicator's name and, from the summed counts, its rate and counts."""
    items = []
    for indicator in table.group.indicators:
        code = indicator.code
        text = ""
        if office and f"{code}/mau" in office:
            rate = office.get(f"{code}%")
            counts = (f"{format_number(office[f'{code}/tu'])}/"
                      f"{format_number(office[f'{code}/mau'])}")
            text = (f": {format_number(rate, 2)}% ({counts})" if rate is not None
                    else f": chưa phát sinh ({counts})")
        items.append({"ma": code, "ten": indicator.name, "so_lieu": text})
    return items


def _group_rows(scores: Scores, table: GroupTable, own: np.ndarray) -> list[dict]:
    keep = own[scores.units.index.get_indexer(table.rows.index)]
    rows = table.rows[keep]
    return [{"stt": str(n), "ten": unit,
             "diem": _points(points, top) if points == points else "",
             "ty_le": _percent(share)}
            for n, (unit, points, top, share) in enumerate(zip(
                rows["unit"].tolist(), rows["points"].tolist(), rows["top"].tolist(),
                rows["share"].tolist(), strict=True), start=1)]


def _office_change(now: tuple[float, float] | None, code: str,
                   before: tuple[OfficeFigures, dict[str, bool]] | None) -> str:
    """' (tăng 0,9 điểm)', ' (bằng kỳ trước)', ' (không so sánh được …)' for the office's group
    points against the period compared with; '' when either is unknown."""
    if now is None or before is None:
        return ""
    figures, comparable = before
    if not comparable.get(code, False):
        return f" ({NOT_COMPARABLE})"
    if code not in figures.groups:
        return ""
    return f" ({movement(float(exact_difference(now[0], figures.groups[code][0])[0]))})"


def _standing(office: OfficeFigures, before) -> str:
    """', đứng thứ 14/34 (tăng 2 bậc)' among its peers, when the portal's list was given."""
    if office.rank is None:
        return ""
    text = f", đứng thứ {office.rank:02d}/{office.peers}"
    earlier = before[0].rank if before else None
    if earlier is None:
        return text
    places = earlier - office.rank
    return text + (" (thứ hạng bằng kỳ trước)" if places == 0 else
                   f" ({'tăng' if places > 0 else 'giảm'} {abs(places)} bậc)")


def _group_field(scores: Scores, table: GroupTable, position: int, office: OfficeFigures,
                 own: np.ndarray, image: Callable[[bytes], object],
                 before: tuple[OfficeFigures, dict[str, bool]] | None,
                 results: list[str]) -> dict:
    group = table.group
    rows, hidden = _capped(_group_rows(scores, table, own), f"Biểu nhóm {group.code}")
    found = office.groups.get(group.code)
    has_row = not own.all()
    chung = None if found is None else {
        "ten": office.name if has_row else OFFICE_ROW,
        "diem": _points(*found), "ty_le": _percent(found[0] / found[1] if found[1] else np.nan)}
    change = _office_change(found, group.code, before)
    share = scores.group_share(group.code)[own]
    names = scores.units["unit"].to_numpy(object)[own]
    scored = ~np.isnan(share)
    order = np.argsort(-share[scored], kind="stable")
    below = [n for n, s in zip(names[scored][order].tolist(), share[scored][order].tolist(),
                               strict=True) if s < 1][::-1]
    summary = next((line for line in results if line.startswith(group.name + ":")),
                   f"{group.name}: chưa có đơn vị nào có điểm nhóm.")
    return {
        "stt": str(position), "ma": group.code, "ten": group.name,
        "ten_thuong": lower_first(group.name), "toi_da": format_number(group.max_points, 2)
        .removesuffix(",00"), "chi_so": _figures(table, table.office), "tom_tat": summary,
        "don_vi": rows, "an_bot": hidden, "chung": chung,
        "diem_chung": _points(*found) if found else "…", "thay_doi": change,
        "chua_dat": narrative.listed(below) if below else "không có",
        "bieu_do": image(lambda: share_chart(
            f"{group.name} (tối đa {format_number(group.max_points)} điểm)",
            names[scored][order].tolist(), (share[scored][order] * 100).tolist())),
    }


def _units_table(scores: Scores, own: np.ndarray) -> tuple[list[dict], str]:
    order = [label for label in scores.ranking_order() if own[scores.units.index.get_loc(label)]]
    groups = [g.code for g in scores.indicator_set.groups]
    maxima = [g.max_points for g in scores.indicator_set.groups]
    points = scores.groups.loc[order, groups].to_numpy(float)
    tops = scores.group_max.loc[order, groups].to_numpy(float)
    totals = scores.summary.loc[order, "converted"].tolist()
    rows = [{"stt": str(n), "ten": name, "tong": format_number(total, 2),
             # the group's maximum heads the column; a cell says its own only where it differs
             "nhom": [("" if p != p else _trimmed(format_number(p, 2)) if t == top else
                       _points(p, t)) for p, t, top in zip(ps, ts, maxima, strict=True)]}
            for n, (name, total, ps, ts) in enumerate(zip(
                scores.units.loc[order, "unit"].tolist(), totals, points.tolist(),
                tops.tolist(), strict=True), start=1)]
    return _capped(rows, "Biểu số 01")


def _highest_lowest(scores: Scores, own: np.ndarray) -> str:
    ranked = scores.summary[own & scores.summary["rank"].notna().to_numpy()]
    if ranked.empty:
        return "Chưa có đơn vị nào đủ số liệu để tính tổng điểm."
    top = scores.indicator_set.total_max
    best, worst = ranked["converted"].idxmax(), ranked["converted"].idxmin()
    name = scores.units["unit"]
    return (f"Điểm số cao nhất là {_points(ranked.at[best, 'converted'], top)} điểm "
            f"({name[best]}), điểm thấp nhất là {_points(ranked.at[worst, 'converted'], top)} "
            f"điểm ({name[worst]}).")


def _band_counts(scores: Scores, own: np.ndarray) -> list[tuple[str, int, str]]:
    bands, reasons = scores.summary["band"][own], scores.summary["unscored"][own]
    counts = [(b.label, int((bands == b.label).sum()), band_fill(p))
              for p, b in enumerate(scores.indicator_set.classification.bands)]
    counts += [(reason.capitalize(), int((reasons == reason).sum()), UNSCORED_FILL)
               for reason in (NO_DOSSIERS, NOT_REPORTED, INCOMPLETE)]
    return [c for c in counts if c[1]] or counts[:1]


def _appendix(scores: Scores) -> tuple[list[str], list[dict], dict | None, str]:
    """The sub-indicator appendix: the set's headline indicators' rates per unit, and the rates
    of the summed counts."""
    codes = scores.indicator_set.headline
    names = {i.code: i.name for i in scores.indicator_set.indicators}
    table, office = headline_table(scores)
    rates = [table[f"{c}%"].tolist() for c in codes]
    rows = [{"stt": str(n), "ten": unit, "ma": code or "",
             "o": [format_number(column[n - 1], 2) for column in rates]}
            for n, (unit, code) in enumerate(zip(table["unit"].tolist(), table["code"].tolist(),
                                                 strict=True), start=1)]
    hidden = ""
    if len(rows) > MOST_APPENDIX_ROWS:
        hidden = (f"Phụ lục nêu {MOST_APPENDIX_ROWS} đơn vị đầu bảng xếp hạng trong "
                  f"{format_number(len(rows))} đơn vị; đủ danh sách tại trang Phụ lục chỉ tiêu "
                  "của bảng tính kèm theo.")
        rows = rows[:MOST_APPENDIX_ROWS]
    chung = None if office is None else {
        "ten": office["unit"], "o": [format_number(office.get(f"{c}%"), 2) for c in codes]}
    return [f"{names[c]} (%)" for c in codes], rows, chung, hidden


def _improved(content: ReportContent, own: np.ndarray) -> str:
    if content.previous is None:
        return ""
    before = content.previous["converted"]
    now = content.scores.summary["converted"]
    better = own & (now > before).fillna(False).to_numpy(bool)
    names = content.scores.units["unit"][better].tolist()
    return (f"Các đơn vị tăng điểm so với kỳ trước: {narrative.listed(names)}." if names else
            "Không có đơn vị nào tăng điểm so với kỳ trước.")


def _plan_lines(content: ReportContent, own: np.ndarray) -> list[str]:
    """The weakest units' plans to the next band, computed from this period's counts."""
    from xl766.engine.plans import describe

    if not content.plans:
        return []
    names = {i.code: i.name for i in content.indicator_set.indicators}
    scores = content.scores
    lines = []
    for label in reversed(scores.ranking_order()):
        position = scores.units.index.get_loc(label)
        plan = content.plans[position]
        if own[position] and plan.plans:
            first = plan.plans[0]
            lines.append(f"Để đạt loại {first.band}, {scores.units.at[label, 'unit']} cần thêm "
                         f"ít nhất {format_number(first.dossiers)}: {describe(first, names)}.")
        if len(lines) == PLANS_IN_TEXT:
            break
    return lines


def context(content: ReportContent, image: Callable[[Callable[[], bytes]], object]) -> dict:
    """The form's fields; ``image`` places a chart from the function that draws it."""
    settings, scores, indicator_set = content.settings, content.scores, content.indicator_set
    own = narrative.units_only(scores)
    issuer = settings.ten_co_quan or "Cơ quan báo cáo"
    subject = settings.subject(indicator_set.subject)
    day, month, year = settings.issue_date()
    place = f"{settings.dia_danh}, " if settings.dia_danh else ""
    basis = settings.legal_basis() or [
        f"{d.document} ngày {d.date:%d/%m/%Y} của {d.issuer} {lower_first(d.title)}"
        for d in indicator_set.legal_basis]
    tables = [group_table(scores, g) for g in indicator_set.groups]
    office = content.office or office_figures(scores, issuer)
    earlier = content.previous_period
    before = None if earlier is None or earlier.office is None else (
        earlier.office, comparable_groups(indicator_set, earlier.indicator_set))
    results = narrative.group_results(scores)
    groups = [_group_field(scores, t, n, office, own, image, before, results)
              for n, t in enumerate(tables, start=1)]
    units, units_hidden = _units_table(scores, own)
    columns, appendix, appendix_office, appendix_hidden = _appendix(scores)
    office_name = office.name
    period = settings.period.words()
    opening = f"{period[:1].upper()}{period[1:]}, "
    if office.total is None:
        office_sentence = (f"{opening}chưa tính được tổng điểm của {office_name}: cần dòng loại "
                           f"'{OFFICE_KIND}' hoặc số hồ sơ của mọi chỉ số.")
    else:
        change = (f" ({movement(float(exact_difference(office.total, before[0].total)[0]))})"
                  if before and before[0].total is not None else "")
        band = f", xếp loại {office.band}" if office.band else ""
        office_sentence = (f"{opening}{office_name} đạt "
                           f"{_points(office.total, indicator_set.total_max)} điểm{change}{band}"
                           f"{_standing(office, before)}.")
    shares = [(g["ten"], found[0] / found[1]) for g, t in zip(groups, tables, strict=True)
              if (found := office.groups.get(t.group.code)) and found[1]]
    lowest = sorted(shares, key=lambda item: item[1])[:2]
    changes = narrative.changes(scores, content.previous) if content.previous is not None else None
    fees_ok = (content.fees is not None and content.online_target is not None
               and "ty_le_truc_tuyen" in content.fees.rows)
    return {
        "co_quan_chu_quan": settings.co_quan_chu_quan.upper(),
        "co_quan_bao_cao": (settings.co_quan_bao_cao or settings.ten_co_quan).upper(),
        "so": settings.so_bao_cao or BLANK, "ky_hieu": settings.ky_hieu,
        "noi_ngay": f"{place}ngày {day} tháng {month} năm {year}",
        "trich_yeu": subject, "trich_yeu_thuong": lower_first(subject),
        "ky": period, "ky_hoa": period.upper(), "ten_co_quan": issuer,
        "doi_tuong": settings.doi_tuong, "doi_tuong_thuong": lower_first(settings.doi_tuong),
        "can_cu": basis,
        "kinh_gui": _ended(settings.addressees()) or [PLACEHOLDER.format("nơi kính gửi")],
        "nguoi_co_y_kien": f"Chủ tịch {settings.ten_co_quan or 'Ủy ban nhân dân'}",
        "noi_nhan": _ended(settings.receivers()),
        "quyen_han_ky": settings.quyen_han_ky.upper(),
        "chuc_vu_nguoi_ky": settings.chuc_vu_nguoi_ky.upper(),
        "nguoi_ky": settings.nguoi_ky or PLACEHOLDER.format("họ tên người ký"),
        "kem_theo": settings.attachment_line(content.document_word),
        "xep_loai": narrative.classification(scores, settings.doi_tuong),
        "theo_loai": narrative.by_kind(scores),
        "ket_qua_nhom": results,
        "thay_doi": None if changes is None else (
            "So với kỳ trước: " + narrative.listed(changes) + "." if changes else
            "So với kỳ trước: không có đơn vị nào so sánh được."),
        "thanh_toan": (narrative.online_payment(content.fees, content.online_target)
                       if fees_ok else ""),
        "so_hoa": (narrative.digitisation(content.digitisation)
                   if content.digitisation is not None
                   and "ty_le_tphs" in content.digitisation.total else ""),
        "doi_chieu": ("" if scores.published.empty
                      else reconciliation_sentence(scores.reconciliation())),
        "so_don_vi": format_number(int(own.sum())),
        "don_vi_bao_cao": {"ten": office_name, "cau": office_sentence,
                           "hang": "" if office.rank is None else f"{office.rank}/{office.peers}"},
        "bang_nhom": [{"stt": g["stt"], "ten": g["ten"], "toi_da": g["toi_da"],
                       "diem": g["diem_chung"].split("/")[0],
                       "ty_le": g["chung"]["ty_le"] if g["chung"] else ""} for g in groups],
        "nhom": groups, "don_vi": units, "don_vi_an_bot": units_hidden,
        "cao_thap": _highest_lowest(scores, own),
        "nhom_thap": ("Các nhóm chỉ số đạt thấp nhất: " + "; ".join(
            f"{name} ({format_number(share * 100, 2)}%)" for name, share in lowest) + "."
            if lowest else ""),
        "tien_bo": _improved(content, own),
        "phu_luc_cot": columns, "phu_luc": appendix, "phu_luc_chung": appendix_office,
        "phu_luc_an_bot": appendix_hidden,
        "bieu_do_xep_loai": image(lambda: band_chart(f"Xếp loại {period}",
                                                     _band_counts(scores, own))),
        "ke_hoach": _plan_lines(content, own),
    }
