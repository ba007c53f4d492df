"""Command line: `xl766 bo-chi-so`, `cham-diem`, `tao-bao-cao`, `tao-mau`, `nhap-cong`,
`tai-cong`. Heavy imports wait for the command."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

EXIT_INPUT_ERROR = 2


_WORDS = {
    "missing": "chưa có số liệu (không tính 0)", "not_applicable": "không áp dụng",
    "none": "không quy đổi", "applicable_max": "quy đổi theo điểm tối đa áp dụng",
    "linear": "tỷ lệ × điểm", "target": "đạt ngưỡng", "direct": "nhập điểm",
    "monitor": "theo dõi", "zero": "0 điểm", "full": "đủ điểm",
}


def _print_set(reference: str) -> None:
    from xl766.catalog import load_indicator_set
    from xl766.engine.numbers import format_number

    s = load_indicator_set(reference)
    period = f"từ {s.effective_from:%d/%m/%Y}" + (
        f" đến {s.effective_to:%d/%m/%Y}" if s.effective_to else "")
    print(f"{s.id}: {s.name}\nHiệu lực {period}; tổng điểm tối đa {format_number(s.total_max)}")
    for doc in s.legal_basis:
        print(f"Căn cứ: {doc.document} ngày {doc.date:%d/%m/%Y} của {doc.issuer}")
    print(f"Ô trống: {_WORDS[s.blank.means.value]} [{s.blank.provenance}]; quy đổi: "
          f"{_WORDS[s.conversion.method.value]} [{s.conversion.provenance}]")
    if s.rounding:
        print(f"Làm tròn: điểm mỗi chỉ số nửa lên đến {s.rounding.indicator_decimals} chữ số "
              f"thập phân, nhóm = tổng điểm đã làm tròn [{s.rounding.provenance}]")
    bands = "; ".join(f"{b.label} ≥ {format_number(b.min_points)}" for b in s.classification.bands)
    print(f"Xếp loại [{s.classification.provenance}]: {bands}")
    if s.periods:
        rule = {"counts": "cộng số hồ sơ các tháng rồi chấm",
                "mean_of_months": "trung bình cộng tổng điểm quy đổi các tháng"}[s.periods.rule]
        print(f"Quý, năm từ các tháng (tong-hop-ky): {rule} [{s.periods.provenance}]")
    for key, target in s.targets.items():
        print(f"Chỉ tiêu {key}: {target.label} ≥ {format_number(target.percent)}% "
              f"[{target.provenance}]")
    for group in s.groups:
        print(f"\n{group.code:<8} {group.name} ({format_number(group.max_points)} điểm)")
        if not group.indicators:
            print(f"  nhập điểm cả nhóm [{group.provenance}] {group.source}")
        for i in group.indicators:
            rule = _WORDS[i.rule.value] + (f" {format_number(i.target_percent)}%"
                                           if i.target_percent else "")
            print(f"  {i.code:<8} {format_number(i.max_points):>3}đ  {rule:<16} "
                  f"mẫu số 0: {_WORDS[i.zero_denominator.value]:<15} [{i.provenance}] {i.name}")
            print(f"  {'':<8}       nguồn: {i.source}")
    print(f"\n{_LEGEND}")


_LEGEND = ("[V] có văn bản hoặc nguồn chính thức nêu rõ; [I] suy ra từ số liệu đã công bố; "
           "[U] chưa tìm được nguồn, do người dùng tự nhập")


def cmd_bo_chi_so(args) -> int:
    from xl766.catalog import available_sets, load_indicator_set

    if args.xuat:
        return _export_set(args)
    if args.id:
        _print_set(args.id)
        return 0
    for set_id in available_sets():
        s = load_indicator_set(set_id)
        print(f"{s.id:<20} {s.name} ({s.legal_basis[0].document})")
    return 0


def _export_set(args) -> int:
    """A bundled set as a file to edit: its own text under a header saying how, with a new id
    (a set of one's own may not keep a bundled id)."""
    from xl766.adapters import files
    from xl766.catalog import available_sets, bundled_text

    if args.id not in available_sets():
        print(f"--xuat chép một bộ có sẵn ({', '.join(available_sets())}), không phải "
              f"'{args.id}'.", file=sys.stderr)
        return EXIT_INPUT_ERROR
    target = Path(args.xuat)
    if target.suffix.lower() != ".toml":
        print(f"Tệp '{target.name}' phải có đuôi .toml.", file=sys.stderr)
        return EXIT_INPUT_ERROR
    files.check_output(target, overwrite=args.ghi_de)
    new_id = f"{args.id}-{target.stem.lower()}" if target.stem.lower() != args.id else (
        f"{args.id}-tinh")
    new_id = re.sub(r"[^a-z0-9.-]+", "-", new_id).strip("-")
    body = bundled_text(args.id).replace(f'id = "{args.id}"', f'id = "{new_id}"', 1)
    header = "\n".join(f"# {line}" if line else "#" for line in (
        f"Bản sao để sửa của bộ chỉ số {args.id} (xl766 bo-chi-so {args.id} --xuat).",
        f"- Khóa id đã đổi thành '{new_id}': bộ của tỉnh không được giữ mã của bộ có sẵn.",
        "- Sửa name, effective_from/effective_to, legal_basis, ngưỡng xếp loại "
        "(classification.bands), điểm tối đa và quy tắc từng chỉ số (rule: linear, target, "
        "direct, monitor), chỉ tiêu (targets).",
        "- Mỗi quy tắc ghi provenance và source: " + _LEGEND + ".",
        "- Điểm tối đa các chỉ số cộng lại bằng điểm tối đa của nhóm; các nhóm cộng lại bằng "
        "total_max.",
        "- Kiểm tra tệp: xl766 bo-chi-so DUONG_DAN.toml; dùng: --bo-chi-so DUONG_DAN.toml hoặc "
        "xl766 tao-mau --bo-chi-so DUONG_DAN.toml.",
        "",
    ))
    files.write_atomically(target, lambda tmp: tmp.write_text(header + "\n" + body,
                                                                encoding="utf-8"),
                           overwrite=args.ghi_de)
    print(f"Đã ghi bản sao để sửa của bộ {args.id} vào '{target}' (id '{new_id}').")
    return 0


def _note_open_input(path: Path) -> None:
    from xl766.adapters.files import open_input_note

    note = open_input_note(path)
    if note:
        print(f"[Ghi chú] {note}", file=sys.stderr)


_ROWS_NAMED = 8


def _report_findings(findings, sheet: str, *, levels) -> None:
    """Each error and warning on its own line; a note repeated on many rows (the same flag on
    every unit) once, with the rows it is on."""
    from xl766.engine import Level
    from xl766.engine.findings import LEVEL_TEXT

    repeated: dict[tuple, list[int]] = {}
    for finding in findings:
        if finding.level is Level.NOTE and finding.row is not None:
            repeated.setdefault((finding.column, finding.message), []).append(finding.row)
    lines = []
    for finding in findings:
        if finding.level not in levels:
            continue
        rows = repeated.get((finding.column, finding.message), [])
        if finding.level is not Level.NOTE or len(rows) <= 3:
            lines.append(finding.describe(sheet))
        elif finding.row == rows[0]:
            shown = ", ".join(map(str, rows[:_ROWS_NAMED])) + (
                ", …" if len(rows) > _ROWS_NAMED else "")
            column = f", cột '{finding.column}'" if finding.column else ""
            lines.append(f"[{LEVEL_TEXT[Level.NOTE]}] trang '{sheet}', {len(rows)} dòng "
                         f"({shown}){column}: {finding.message}")
    if lines:
        print("\n".join(lines), file=sys.stderr)


def _scored_input(args, indicator_set, not_done: str):
    """The name of the input's sheet (args.input, args.trang), for messages, and its scores;
    None, every error said, when it has errors."""
    from xl766.adapters.tables import read_scores_table
    from xl766.engine import Level
    from xl766.engine.inputs import read_scoring_table
    from xl766.engine.scoring import score

    table = read_scores_table(Path(args.input), args.trang)
    data = read_scoring_table(table.frame, indicator_set)
    sheet = table.sheet
    del table  # the cells as typed: what the scores need is read, and a national table is big
    scores = score(data, indicator_set)
    if not scores.has_errors:
        return sheet, scores
    errors = [f for f in scores.findings if f.level is Level.ERROR]
    print(f"Bảng '{sheet}' có {len(errors)} lỗi; {not_done}:", file=sys.stderr)
    _report_findings(errors, sheet, levels={Level.ERROR})
    return None


def cmd_cham_diem(args) -> int:
    from xl766.adapters import files, results
    from xl766.catalog import load_indicator_set
    from xl766.engine import Level

    indicator_set = load_indicator_set(args.bo_chi_so)
    output = Path(args.output) if args.output else None
    if output is not None:
        if output.suffix.lower() not in (".csv", ".xlsx"):
            print("Tệp kết quả phải là .csv hoặc .xlsx.", file=sys.stderr)
            return EXIT_INPUT_ERROR
        files.check_output(output, inputs=(Path(args.input),), overwrite=args.ghi_de)
    _note_open_input(Path(args.input))
    scored = _scored_input(args, indicator_set, "chưa chấm điểm")
    if scored is None:
        return EXIT_INPUT_ERROR
    sheet, scores = scored
    if args.json:
        results.write_json(scores, sys.stdout)
        return 0
    _report_findings(scores.findings, sheet, levels={Level.WARNING, Level.NOTE})
    if output is not None:
        if output.suffix.lower() == ".csv":
            def writer(tmp):
                results.write_csv(scores, tmp, for_people=not args.csv_may)
        else:
            def writer(tmp):
                results.write_xlsx(scores, tmp)
        files.write_atomically(output, writer, overwrite=args.ghi_de)
        print(f"Đã ghi {len(scores.summary)} đơn vị vào '{output}'.")
    else:
        _print_ranking(scores)
    return 0


def cmd_cai_thien(args) -> int:
    from xl766.adapters import files, safe_text
    from xl766.adapters import plans as plan_output
    from xl766.catalog import load_indicator_set
    from xl766.engine.plans import ASSUMPTION, describe, plan_units

    indicator_set = load_indicator_set(args.bo_chi_so)
    output = Path(args.output) if args.output else None
    if output is not None:
        if output.suffix.lower() != ".csv":
            print("Tệp kết quả phải là .csv.", file=sys.stderr)
            return EXIT_INPUT_ERROR
        files.check_output(output, inputs=(Path(args.input),), overwrite=args.ghi_de)
    scored = _scored_input(args, indicator_set, "chưa tính kế hoạch")
    if scored is None:
        return EXIT_INPUT_ERROR
    scores = scored[1]
    plans = plan_units(scores)
    if args.json:
        plan_output.write_json(scores, plans, sys.stdout)
        return 0
    if output is not None:
        frame = plan_output.table(scores, plans)
        files.write_atomically(output, lambda tmp: safe_text.write_csv(
            frame.astype(object).where(frame.notna(), None), tmp, for_people=not args.csv_may),
            overwrite=args.ghi_de)
        print(f"Đã ghi kế hoạch của {len(frame)} đơn vị vào '{output}' ({ASSUMPTION}).")
        return 0
    names = {i.code: i.name for i in indicator_set.indicators}
    print(f"Kế hoạch cải thiện ({ASSUMPTION}):")
    for unit, plan in zip(scores.units["unit"].tolist(), plans, strict=True):
        if plan.band is None:
            print(f"- {unit}: chưa đủ số liệu để xếp loại")
        elif plan.next_band is None:
            print(f"- {unit}: {plan.band}, loại cao nhất")
        elif plan.plans:
            first = plan.plans[0]
            print(f"- {unit}: {plan.band} → {first.band}: {describe(first, names)} "
                  f"(cộng {first.dossiers} hồ sơ)")
        else:
            why = plan.unreachable or "không tính được"
            print(f"- {unit}: {plan.band} → {plan.next_band}: {why}")
    return 0


_NAME_WIDTH = 56


def _fitted(name: str) -> str:
    """A name cut to the screen column, so that long ones do not push the numbers out."""
    return name if len(name) <= _NAME_WIDTH else name[:_NAME_WIDTH - 1] + "…"


def _print_ranking(scores) -> None:
    """Best first, printed a part at a time: a national table is never one huge text."""
    from xl766.engine.numbers import format_numbers

    summary, units = scores.summary, scores.units["unit"].fillna("")
    longest = int(units.str.len().max()) if len(units) else 0
    width = max(len("Đơn vị"), min(longest, _NAME_WIDTH))
    line = f"{{:>4}}  {{:<{width}}} {{:>7}} {{:>8}}  {{}}".format
    print(line("Hạng", "Đơn vị", "Điểm", "Quy đổi", "Xếp loại"))
    positions = summary.index.get_indexer(scores.ranking_order())
    for start in range(0, len(positions), _PRINTED_AT_ONCE):
        part = summary.iloc[positions[start:start + _PRINTED_AT_ONCE]]
        ranks = part["rank"].astype(object).where(part["rank"].notna(), "").tolist()
        names = [_fitted(unit) for unit in units.iloc[positions[start:start + len(part)]]]
        print("\n".join(map(line, ranks, names, format_numbers(part["total"], 2, blank="—"),
                             format_numbers(part["converted"], 1, blank="—"),
                             [band or "chưa đủ số liệu" for band in part["band"].tolist()])))


_PRINTED_AT_ONCE = 20_000


def cmd_tao_bao_cao(args) -> int:
    from xl766.engine import Level
    from xl766.engine.numbers import format_number
    from xl766.report.run import create_report

    for source in filter(None, (args.input, args.ky_truoc)):
        _note_open_input(Path(source))
    content = create_report(Path(args.input), Path(args.output), indicator_set=args.bo_chi_so,
                            period=args.ky, previous_path=args.ky_truoc, issuer=args.co_quan,
                            settings_file=args.cau_hinh, overwrite=args.ghi_de,
                            document_path=Path(args.van_ban) if args.van_ban else None,
                            form=args.mau_van_ban, history_path=args.lich_su,
                            record=not args.khong_luu, comparison=args.so_sanh,
                            peers_path=args.dong_cap, renamed_path=args.ghep_don_vi)
    warnings = [f for f in content.findings if f.finding.level is Level.WARNING]
    draft = f" và văn bản '{args.van_ban}'" if args.van_ban else ""
    said = (f"{len(warnings)} cảnh báo, xem trang 'Kiểm tra'" if warnings
            else "không có cảnh báo")
    units = format_number(len(content.scores.summary))
    print(f"Đã lập báo cáo '{args.output}'{draft} ({units} đơn vị; {said}).")
    for item in warnings:
        print(item.finding.describe(item.sheet), file=sys.stderr)
    return 0


def cmd_mau_van_ban(args) -> int:
    from xl766.adapters import files
    from xl766.adapters.errors import InputError
    from xl766.adapters.files import write_atomically
    from xl766.report.forms import FORMS, form_path

    if not args.name:
        for name, description in FORMS.items():
            print(f"{name:<14} {description}")
        return 0
    if args.name not in FORMS:
        raise InputError(f"Không có mẫu văn bản '{args.name}': chọn {', '.join(FORMS)}.")
    if not args.output:
        raise InputError("Cần -o TỆP.docx: nơi ghi bản sao mẫu để sửa trong Word.")
    target = Path(args.output)
    if target.suffix.lower() != ".docx":
        raise InputError(f"Tệp '{target.name}' phải có đuôi .docx.")
    files.check_output(target, overwrite=args.ghi_de)
    data = form_path(args.name).read_bytes()
    write_atomically(target, lambda temporary: Path(temporary).write_bytes(data),
                     overwrite=args.ghi_de)
    print(f"Đã ghi mẫu '{args.name}' vào '{target}': sửa trong Word (giữ nguyên các thẻ "
          "{{ … }} và {% … %}), rồi ghi đường dẫn vào mau_van_ban trên trang Cấu hình hoặc "
          "dùng --mau-van-ban.")
    return 0


def _text_or_blank(value) -> str:
    return value if isinstance(value, str) else ""


def cmd_lich_su(args) -> int:
    from xl766.adapters import safe_text
    from xl766.adapters.errors import InputError
    from xl766.adapters.files import write_atomically
    from xl766.adapters.history import History, history_file

    path = history_file(args.lich_su)
    if not path.exists():
        print(f"Chưa có lịch sử ở '{path}': tao-bao-cao ghi mỗi kỳ vào đó.")
        return 0
    from xl766.engine.numbers import format_number

    with History(path) as store:
        if args.xuat:
            target = Path(args.xuat)
            if target.suffix.lower() != ".csv":
                raise InputError(f"Tệp '{target.name}' phải có đuôi .csv.")
            table = store.units_table()
            write_atomically(target, lambda temporary: safe_text.write_csv(
                table.astype(object).where(table.notna(), None), Path(temporary)),
                overwrite=args.ghi_de)
            print(f"Đã ghi {len(table)} dòng (đơn vị × kỳ) vào '{target}'.")
            return 0
        records = store.periods(args.co_quan)
    print(f"Lịch sử '{path}': {len(records)} lần ghi.")
    for row in records.itertuples(index=False):
        total = format_number(row.tong_diem_co_quan, 2, blank="—")
        replaced = " (đã thay bằng lần ghi sau)" if row.da_thay else ""
        print(f"{row.co_quan:<28} {row.ky:<8} {row.bo_chi_so:<18} {row.so_don_vi:>6} đơn vị  "
              f"cơ quan {total:>6}  {row.luc_ghi}  {_text_or_blank(row.tep_nguon)}{replaced}")
    return 0


def cmd_tao_mau(args) -> int:
    from xl766.catalog import available_sets, load_indicator_set
    from xl766.excel.build import MACROS, build_template

    indicator_set = load_indicator_set(args.bo_chi_so)
    # A set of one's own is carried inside the template: it must score there, on any PC.
    own_set = (None if args.bo_chi_so in available_sets()
               else Path(args.bo_chi_so).read_text(encoding="utf-8"))
    build_template(indicator_set, Path(args.output), own_set=own_set,
                   macros=Path(args.macros) if args.macros else MACROS, overwrite=args.ghi_de)
    print(f"Đã tạo mẫu '{args.output}' cho bộ chỉ số {indicator_set.id}.")
    return 0


def cmd_cap_nhat_mau(args) -> int:
    from xl766.excel.upgrade import upgrade_workbook

    _note_open_input(Path(args.input))
    units = upgrade_workbook(Path(args.input), Path(args.output), overwrite=args.ghi_de)
    print(f"Đã chuyển {units} đơn vị và trang Cấu hình của '{args.input}' sang mẫu mới "
          f"'{args.output}'; tệp cũ giữ nguyên.")
    return 0


def _period_argument(text: str | None):
    from xl766.adapters.errors import InputError
    from xl766.engine.period import Period

    if text is None:
        return None
    try:
        return Period.parse(text)
    except ValueError as error:
        raise InputError(f"--ky: {error}.") from None


def _record_portal(args, capture, set_id: str, scores) -> None:
    """nhap-cong keeps the period in the history, under the province's portal code."""
    from xl766.adapters.history import History, history_file
    from xl766.engine.periods import office_figures, period_scores
    from xl766.portal import output
    from xl766.report.run import office_name
    from xl766.report.settings import ReportSettings

    settings = ReportSettings.from_pairs(output.settings_for(capture, set_id,
                                                             capture.province_row()), "Cổng")
    with History(history_file(args.lich_su)) as store:
        store.record(office_name(settings), period_scores(
            scores, str(capture.period), office_figures(scores, settings.ten_co_quan or
                                                        "Cơ quan báo cáo")),
            Path(args.paths[0]) if len(args.paths) == 1 else None)


def _months_in_history(args, period) -> list:
    """The months of ``period`` the history keeps for an office, as tables of counts."""
    from xl766.adapters.errors import InputError
    from xl766.adapters.history import History, history_file
    from xl766.engine.aggregate import Month
    from xl766.engine.periods import counts_table

    path = history_file(args.lich_su)
    if not path.exists():
        raise InputError(f"Chưa có lịch sử ở '{path}'.")
    months = []
    with History(path) as store:
        for month in period.months():
            recorded = store.load(args.co_quan, str(month))
            if recorded is not None:
                months.append(Month(f"tháng {month} (lịch sử)", counts_table(recorded)))
    if not months:
        raise InputError(f"Lịch sử '{path}' không có tháng nào của kỳ {period} cho "
                         f"'{args.co_quan}' (xem xl766 lich-su).")
    return months


def cmd_tong_hop_ky(args) -> int:
    from xl766.adapters import files, safe_text
    from xl766.adapters.errors import InputError
    from xl766.adapters.tables import read_scores_table
    from xl766.catalog import load_indicator_set
    from xl766.catalog.models import PeriodRule
    from xl766.engine import Level, score_table
    from xl766.engine.aggregate import Month, mean_of_months, sum_months
    from xl766.engine.numbers import format_number
    from xl766.engine.period import Period

    period = Period.parse(args.ky) if args.ky else None
    if period is None or period.month:
        raise InputError("--ky phải là một quý (2026-Q3) hoặc một năm (2026): kỳ tổng hợp từ "
                         "các tháng.")
    indicator_set = load_indicator_set(args.bo_chi_so)
    if indicator_set.periods is None:
        raise InputError(f"Bộ {indicator_set.id} chưa quy định cách tính điểm quý, năm từ các "
                         "tháng (khóa [periods] của bộ chỉ số).")
    target = Path(args.output)
    if target.suffix.lower() != ".csv":
        raise InputError(f"Tệp kết quả '{target.name}' phải có đuôi .csv.")
    sources = [Path(p) for p in args.paths]
    files.check_output(target, inputs=tuple(sources), overwrite=args.ghi_de)
    if sources:
        months = [Month(path.name, read_scores_table(path).frame) for path in sources]
    elif args.co_quan:
        months = _months_in_history(args, period)
    else:
        raise InputError("Cho các tệp của từng tháng, hoặc --co-quan để lấy các tháng đã ghi "
                         "trong lịch sử.")
    expected = len(period.months())
    if len(months) != expected and not args.chap_nhan_thieu:
        raise InputError(f"Kỳ {period} gồm {expected} tháng nhưng có {len(months)}: thêm "
                         "tháng còn thiếu, hoặc dùng --chap-nhan-thieu để tổng hợp với số tháng "
                         "đang có.")
    counted = indicator_set.periods.rule is PeriodRule.COUNTS
    combine = sum_months if counted else mean_of_months
    built = combine(months, indicator_set, partial=args.chap_nhan_thieu)
    errors = [(name, f) for name, f in built.findings if f.level is Level.ERROR]
    for name, finding in built.findings:
        if finding.level is not Level.ERROR:
            print(finding.describe(name or "Tổng hợp"), file=sys.stderr)
    if errors:
        print(f"Số liệu các tháng có {len(errors)} lỗi; chưa ghi gì:", file=sys.stderr)
        for name, finding in errors:
            print(finding.describe(name), file=sys.stderr)
        return EXIT_INPUT_ERROR
    scores = score_table(built.table, indicator_set)
    files.write_atomically(target, lambda tmp: safe_text.write_csv(
        built.table, tmp, for_people=not args.csv_may), overwrite=args.ghi_de)
    scored = int(scores.summary["band"].notna().sum())
    how = ("cộng số hồ sơ, không lấy trung bình tỷ lệ" if counted else
           "trung bình cộng tổng điểm quy đổi các tháng, theo bộ chỉ số "
           f"[{indicator_set.periods.provenance}]")
    print(f"Đã tổng hợp {format_number(len(built.table))} đơn vị từ {len(months)} tháng thành kỳ "
          f"{period} vào '{target}' ({how}); "
          f"{format_number(scored)} đơn vị đủ số liệu để xếp loại.")
    return 0


def _portal_import(args, indicator_set, period):
    """(table, the capture or None for several provinces, Cấu hình, source rows); None after
    saying every error."""
    from xl766.engine import Level
    from xl766.portal import output
    from xl766.portal.answers import read_answers
    from xl766.portal.national import national_table, province_folders
    from xl766.portal.table import portal_table

    folders = province_folders([Path(p) for p in args.paths])
    if folders:
        table, problems, captures = national_table(folders, indicator_set, period)
        capture = None
        found = next((str(c.period) for c in captures if c.period is not None), "")
        settings = {"bo_chi_so": indicator_set.id, "ky_bao_cao": found,
                    "doi_tuong": "Các cơ quan, đơn vị"}
        sources = output.source_rows(captures[0])[:1] + [
            row for c in captures for row in output.source_rows(c)[1:]]
    else:
        capture = read_answers([Path(p) for p in args.paths], period)
        problems = list(capture.problems)
        table = None
        if not capture.has_errors:
            table, more = portal_table(capture, indicator_set, with_province=args.ca_tinh)
            problems += more
        settings = output.settings_for(capture, indicator_set.id, capture.province_row())
        sources = output.source_rows(capture)
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors:
        print(f"Số liệu Cổng có {len(errors)} lỗi; chưa ghi gì:", file=sys.stderr)
        for problem in errors:
            print(problem.describe(), file=sys.stderr)
        return None
    for problem in problems:
        print(problem.describe(), file=sys.stderr)
    return table, capture, settings, sources


def cmd_nhap_cong(args) -> int:
    from xl766.adapters import files, safe_text
    from xl766.adapters.tables import SCORES_SHEET
    from xl766.catalog import load_indicator_set
    from xl766.engine import Level, score_table
    from xl766.engine.numbers import format_number
    from xl766.engine.scoring import tolerance_text
    from xl766.portal import output

    period = _period_argument(args.ky)
    target = Path(args.output)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        print("Tệp kết quả phải là .csv hoặc .xlsx.", file=sys.stderr)
        return EXIT_INPUT_ERROR
    files.check_output(target, inputs=tuple(Path(p) for p in args.paths), overwrite=args.ghi_de)
    indicator_set = load_indicator_set(args.bo_chi_so)
    imported = _portal_import(args, indicator_set, period)
    if imported is None:
        return EXIT_INPUT_ERROR
    table, capture, settings, sources = imported
    framed = table.set_axis(range(2, 2 + len(table)))
    scores = score_table(framed, indicator_set)
    errors = [f for f in scores.findings if f.level is Level.ERROR]
    if errors:
        print(f"Bảng nhập từ Cổng có {len(errors)} lỗi với bộ {indicator_set.id}; chưa ghi gì:",
              file=sys.stderr)
        _report_findings(errors, SCORES_SHEET, levels={Level.ERROR})
        return EXIT_INPUT_ERROR
    if target.suffix.lower() == ".csv":
        files.write_atomically(target, lambda tmp: safe_text.write_csv(
            table, tmp, for_people=not args.csv_may),
                               overwrite=args.ghi_de)
    else:
        files.write_atomically(target, lambda tmp: output.write_xlsx(
            table, tmp, settings, sources), overwrite=args.ghi_de)
    if not args.khong_luu and capture is not None and capture.period is not None:
        _record_portal(args, capture, indicator_set.id, scores)
    checked = scores.reconciliation()
    print(f"Đã ghi {len(table)} đơn vị, kỳ {settings['ky_bao_cao']}, vào '{target}'. Đối chiếu: "
          f"{format_number(len(checked))} điểm Cổng công bố, {int(checked['differs'].sum())} "
          f"điểm chênh quá {tolerance_text(checked)}, {int(checked['unmatched'].sum())} điểm chưa "
          "tính lại được.")
    return 0


def cmd_tai_cong(args) -> int:
    from xl766.portal.fetch import NATIONAL_LIST, FetchError, fetch_nation, fetch_province

    period = _period_argument(args.ky)
    if period is None:
        print("Cần --ky (vd 2026-09, 2026-Q3).", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if bool(args.tinh) == bool(args.ca_nuoc):
        print("Cần đúng một trong --tinh MÃ hoặc --ca-nuoc.", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if args.ca_nuoc:
        try:
            folders = fetch_nation(period, Path(args.output), base_url=args.dia_chi,
                                   progress=lambda text: print(text, file=sys.stderr))
        except FetchError as error:
            print(f"{error}\nChạy lại cùng lệnh để tải tiếp các tỉnh còn thiếu.", file=sys.stderr)
            return EXIT_INPUT_ERROR
        print(f"Đã tải đủ {len(folders)} tỉnh của kỳ {period} vào '{args.output}'. Tiếp theo: "
              f"xl766 nhap-cong '{args.output}' -o ca-nuoc-{period}.csv (danh sách đồng cấp cho "
              f"--dong-cap: '{Path(args.output) / NATIONAL_LIST}')")
        return 0
    try:
        folder = fetch_province(args.tinh, period, Path(args.output), base_url=args.dia_chi,
                                progress=lambda text: print(text, file=sys.stderr))
    except FetchError as error:
        print(error, file=sys.stderr)
        return EXIT_INPUT_ERROR
    print(f"Đã tải đủ 6 mục của kỳ {period} vào '{folder}'. Tiếp theo: "
          f"xl766 nhap-cong '{folder}' -o so-lieu-{period}.xlsx")
    return 0


# argparse's own texts, in Vietnamese (it looks each up through its module-level gettext).
_ARGPARSE_TEXTS = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
}


def _vietnamese(text: str) -> str:
    return _ARGPARSE_TEXTS.get(text, text)


_CSV_FOR_PROGRAMS = ("CSV cho chương trình: dấu ',' giữa các ô, dấu chấm thập phân, UTF-8 "
                     "không BOM (mặc định: CSV cho người mở bằng Excel: ';', dấu phẩy thập "
                     "phân)")


def build_parser() -> argparse.ArgumentParser:
    from xl766 import __version__

    argparse._ = _vietnamese  # noqa: SLF001 - argparse offers no other hook for its texts
    parser = argparse.ArgumentParser(
        prog="xl766",
        description="Chấm điểm, xếp loại và lập báo cáo Bộ chỉ số phục vụ người dân, doanh nghiệp.")
    parser.add_argument("--version", action="version", version=f"xl766 {__version__}",
                        help="hiện phiên bản rồi thoát")
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    sets = commands.add_parser("bo-chi-so", help="liệt kê các bộ chỉ số hoặc xem một bộ")
    sets.add_argument("id", nargs="?", help="mã bộ chỉ số (vd 766-2026) hoặc đường dẫn tệp .toml")
    sets.add_argument("--xuat", metavar="BO_CUA_TINH.toml",
                      help="ghi bản sao để sửa của một bộ có sẵn (kèm hướng dẫn)")
    sets.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè tệp đã có")
    sets.set_defaults(func=cmd_bo_chi_so)

    score = commands.add_parser("cham-diem", help="chấm điểm một bảng đơn vị (.csv/.xlsx)")
    score.add_argument("input", metavar="INPUT", help="bảng số liệu .csv (UTF-8) hoặc .xlsx")
    score.add_argument("--bo-chi-so", required=True, metavar="ID",
                       help="mã bộ chỉ số hoặc đường dẫn tệp .toml")
    score.add_argument("--trang", metavar="TÊN_TRANG",
                       help="trang cần chấm của tệp .xlsx (mặc định: 'Nhập liệu' nếu có, không "
                            "thì trang đầu)")
    where = score.add_mutually_exclusive_group()
    where.add_argument("--json", action="store_true", help="in kết quả dạng JSON ra stdout")
    where.add_argument("-o", "--output", metavar="OUT", help="ghi kết quả ra tệp .xlsx hoặc .csv")
    score.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè tệp kết quả đã có")
    score.add_argument("--csv-may", action="store_true",
                       help=_CSV_FOR_PROGRAMS)
    score.set_defaults(func=cmd_cham_diem)

    improve = commands.add_parser("cai-thien", help="số hồ sơ ít nhất để mỗi đơn vị lên loại kế "
                                  "tiếp, từ số hồ sơ của chính đơn vị")
    improve.add_argument("input", metavar="TABLE", help="bảng đơn vị (.csv/.xlsx) có tử số/mẫu số")
    improve.add_argument("--bo-chi-so", default="766-2026", metavar="ID",
                         help="mã bộ chỉ số (mặc định 766-2026) hoặc tệp .toml")
    improve.add_argument("--trang", metavar="SHEET", help="tên trang trong .xlsx")
    shown = improve.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="in kế hoạch dạng JSON ra stdout")
    shown.add_argument("-o", "--output", metavar="OUT.csv", help="ghi bảng kế hoạch ra .csv")
    improve.add_argument("--csv-may", action="store_true", help=_CSV_FOR_PROGRAMS)
    improve.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè OUT đã có")
    improve.set_defaults(func=cmd_cai_thien)

    report = commands.add_parser("tao-bao-cao", help="lập bộ biểu báo cáo tháng (.xlsx)")
    report.add_argument("input", metavar="INPUT",
                        help="mẫu đã điền (.xlsx) hoặc bảng .csv/.xlsx theo cột của cham-diem")
    report.add_argument("-o", "--output", required=True, metavar="OUT.xlsx")
    report.add_argument("--van-ban", metavar="OUT.docx",
                        help="ghi thêm dự thảo báo cáo Word theo Nghị định 30/2020/NĐ-CP")
    report.add_argument("--mau-van-ban", metavar="TÊN|MAU.docx",
                        help="mẫu văn bản Word: bao-cao-ngan (mặc định), bao-cao-nhom, cong-van, "
                        "thong-bao hoặc tệp .docx đã sửa; mặc định: theo Cấu hình (mau_van_ban)")
    report.add_argument("--bo-chi-so", metavar="ID", help="mặc định: theo trang Cấu hình")
    report.add_argument("--ky", metavar="KỲ", help="kỳ báo cáo YYYY-MM, YYYY-Qn hoặc YYYY; "
                        "mặc định: theo Cấu hình")
    report.add_argument("--ky-truoc", metavar="PREV_INPUT", help="số liệu kỳ trước để so sánh")
    report.add_argument("--co-quan", metavar='"UBND huyện …"', help="cơ quan ban hành báo cáo")
    report.add_argument("--cau-hinh", metavar="CAU_HINH.toml",
                        help="tệp cấu hình (các khóa như trang Cấu hình) thay cho trang Cấu hình")
    report.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè OUT đã có")
    report.add_argument("--lich-su", metavar="LICH_SU.sqlite3", help="tệp lịch sử các kỳ "
                        "(mặc định: Cấu hình lich_su, hoặc thư mục dữ liệu của người dùng)")
    report.add_argument("--khong-luu", action="store_true",
                        help="không ghi kỳ này vào lịch sử")
    report.add_argument("--dong-cap", metavar="SERVICE_RESULTS.json",
                        help="câu trả lời service-results của Cổng liệt kê các đơn vị cùng cấp "
                        "(các tỉnh, hoặc các huyện của tỉnh): thứ hạng của cơ quan")
    report.add_argument("--ghep-don-vi", metavar="GHEP.csv", help="đơn vị đổi tên hay sáp nhập: "
                        "cột hien_nay, truoc_day (tên hoặc mã), để so sánh với kỳ trước")
    report.add_argument("--so-sanh", choices=["ky-truoc", "cung-ky-nam-truoc"],
                        help="so sánh với kỳ liền trước hoặc cùng kỳ năm trước, lấy từ lịch sử "
                        "khi không có --ky-truoc (mặc định: Cấu hình so_sanh)")
    report.set_defaults(func=cmd_tao_bao_cao)

    forms = commands.add_parser("mau-van-ban", help="liệt kê các mẫu văn bản Word, hoặc ghi một "
                                "bản sao để cơ quan sửa")
    forms.add_argument("name", nargs="?", metavar="TÊN", help="tên mẫu (bỏ trống để liệt kê)")
    forms.add_argument("-o", "--output", metavar="OUT.docx")
    forms.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè OUT đã có")
    forms.set_defaults(func=cmd_mau_van_ban)

    history = commands.add_parser("lich-su", help="liệt kê các kỳ đã ghi trong lịch sử, hoặc "
                                  "xuất ra bảng .csv")
    history.add_argument("--lich-su", metavar="LICH_SU.sqlite3",
                         help="tệp lịch sử (mặc định: thư mục dữ liệu của người dùng)")
    history.add_argument("--co-quan", metavar="TÊN", help="chỉ các kỳ của cơ quan này")
    history.add_argument("--xuat", metavar="OUT.csv", help="xuất mọi đơn vị của mọi kỳ")
    history.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè OUT đã có")
    history.set_defaults(func=cmd_lich_su)

    combine = commands.add_parser("tong-hop-ky", help="tổng hợp quý hoặc năm từ số liệu các "
                                  "tháng: cộng số hồ sơ từng đơn vị rồi chấm điểm")
    combine.add_argument("paths", nargs="*", metavar="THANG", help="bảng của từng tháng "
                         "(.csv/.xlsx, cột X/tu và X/mau); bỏ trống để lấy từ lịch sử")
    combine.add_argument("--co-quan", metavar="TÊN", help="lấy các tháng đã ghi trong lịch sử "
                         "của cơ quan này (như xl766 lich-su in)")
    combine.add_argument("--lich-su", metavar="LICH_SU.sqlite3", help="tệp lịch sử")
    combine.add_argument("--ky", required=True, metavar="KỲ", help="quý 2026-Q3 hoặc năm 2026")
    combine.add_argument("--bo-chi-so", required=True, metavar="ID")
    combine.add_argument("-o", "--output", required=True, metavar="OUT.csv")
    combine.add_argument("--chap-nhan-thieu", action="store_true",
                         help="chấm cả đơn vị thiếu tháng, với các tháng đang có")
    combine.add_argument("--csv-may", action="store_true", help=_CSV_FOR_PROGRAMS)
    combine.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè OUT đã có")
    combine.set_defaults(func=cmd_tong_hop_ky)

    template = commands.add_parser("tao-mau", help="tạo tệp mẫu Excel có macro (.xlsm)")
    template.add_argument("-o", "--output", required=True, metavar="OUT.xlsm")
    template.add_argument("--bo-chi-so", required=True, metavar="ID",
                          help="mã bộ chỉ số hoặc đường dẫn tệp .toml: cột Nhập liệu theo bộ này")
    template.add_argument("--macros", metavar="DIR", help="thư mục mã VBA và ribbon (mặc định: "
                          "macros/ của mã nguồn)")
    template.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè OUT đã có")
    template.set_defaults(func=cmd_tao_mau)

    upgrade = commands.add_parser("cap-nhat-mau", help="chuyển số liệu của một sổ .xlsm cũ sang "
                                  "mẫu của phiên bản này (tệp cũ giữ nguyên)")
    upgrade.add_argument("input", metavar="CU.xlsm", help="sổ đã điền của phiên bản trước")
    upgrade.add_argument("-o", "--output", required=True, metavar="MOI.xlsm")
    upgrade.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè MOI đã có")
    upgrade.set_defaults(func=cmd_cap_nhat_mau)

    portal = commands.add_parser("nhap-cong", help="đọc số liệu đã tải từ Cổng DVCQG thành bảng "
                                 "chấm điểm (.csv/.xlsx)")
    portal.add_argument("paths", nargs="+", metavar="PATH",
                        help="tệp .json câu trả lời của Cổng hoặc thư mục chứa chúng")
    portal.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="bảng .csv hoặc sổ .xlsx (Nhập liệu, Cấu hình, Nguồn Cổng)")
    portal.add_argument("--ky", metavar="KỲ", help="YYYY-MM, YYYY-Qn hoặc YYYY; mặc định: theo "
                        "manifest.json của lần tải")
    portal.add_argument("--ca-tinh", action="store_true",
                        help="thêm dòng số liệu chung của cả tỉnh")
    portal.add_argument("--bo-chi-so", default="766-2026", metavar="ID",
                        help="bộ chỉ số để kiểm tra bảng (mặc định 766-2026)")
    portal.add_argument("--ghi-de", action="store_true", help="cho phép ghi đè OUT đã có")
    portal.add_argument("--lich-su", metavar="LICH_SU.sqlite3", help="tệp lịch sử các kỳ")
    portal.add_argument("--khong-luu", action="store_true", help="không ghi kỳ này vào lịch sử")
    portal.add_argument("--csv-may", action="store_true",
                        help=_CSV_FOR_PROGRAMS)
    portal.set_defaults(func=cmd_nhap_cong)

    fetch = commands.add_parser("tai-cong", help="tải số liệu đánh giá 766 của một tỉnh từ Cổng "
                                "DVCQG (6 mục, lưu nguyên văn)")
    fetch.add_argument("--ca-nuoc", action="store_true", help="tải mọi tỉnh, lần lượt, mỗi tỉnh "
                       "một thư mục con; chạy lại để tải tiếp các tỉnh còn thiếu")
    fetch.add_argument("--tinh", metavar="MÃ",
                       help="mã tỉnh trên Cổng (vd H44) hoặc rootDepartmentId (UUID)")
    fetch.add_argument("--ky", required=True, metavar="KỲ", help="YYYY-MM, YYYY-Qn hoặc YYYY")
    fetch.add_argument("-o", "--output", required=True, metavar="THU_MUC",
                       help="thư mục lưu câu trả lời và manifest.json")
    fetch.add_argument("--dia-chi", metavar="URL", default=None,
                       help="địa chỉ gốc thay cho https://dichvucong.gov.vn (bản sao, thử nghiệm)")
    fetch.set_defaults(func=cmd_tai_cong)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from xl766.adapters.errors import InputError
    from xl766.catalog import CatalogError

    try:
        return args.func(args)
    except (InputError, CatalogError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:  # `xl766 … | head` closed the pipe: not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
