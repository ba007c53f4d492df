"""One entry point for "Tạo báo cáo": the CLI and the ribbon button both call it."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.adapters.files import check_output, write_outputs
from xl766.adapters.history import History, history_file
from xl766.catalog import IndicatorSet
from xl766.engine.inputs import UNIT_CODE, texts
from xl766.engine.period import Period
from xl766.engine.periods import period_scores
from xl766.engine.trends import MOST_PERIODS
from xl766.report.content import ReportContent, assemble
from xl766.report.forms import DOCUMENT_WORDS, form_kind, form_path
from xl766.report.inputs import ReportInput, read_report_input
from xl766.report.settings import ReportSettings
from xl766.report.workbook import write_report


def _set_covers(indicator_set: IndicatorSet, period: Period) -> None:
    """A set scores the periods it was in force for (catalog: effective_from, effective_to)."""
    start, end = indicator_set.effective_from, indicator_set.effective_to
    if period.last_day < start or (end is not None and period.first_day > end):
        until = f" đến {end:%d/%m/%Y}" if end else ""
        raise InputError(f"Bộ chỉ số {indicator_set.id} áp dụng từ {start:%d/%m/%Y}{until}, "
                         f"không dùng cho kỳ {period}: chọn bộ chỉ số của kỳ đó.")


def _agrees_with_its_sheet(period: str | None, sheet: ReportSettings) -> None:
    if period and sheet.ky_bao_cao and Period.parse(period) != sheet.period:
        raise InputError(f"--ky {period} khác kỳ báo cáo trên trang 'Cấu hình' ({sheet.period}): "
                         "sửa ô ky_bao_cao hoặc bỏ --ky.")


_PORTAL_CODE = re.compile(r"([A-Z]\d+)\.")


def _province_matches_units(settings: ReportSettings, source: ReportInput) -> None:
    """Units imported from the portal carry the province's code (H44.01): a ma_tinh_cong that
    none of them carries names another province."""
    province = settings.ma_tinh_cong.strip().upper()
    frame = source.scores.frame
    codes = texts(frame[UNIT_CODE]) if UNIT_CODE in frame else []
    prefixes = {m.group(1) for c in codes if c and (m := _PORTAL_CODE.match(c))}
    if province and prefixes and province not in prefixes:
        raise InputError(f"ma_tinh_cong '{province}' trên trang 'Cấu hình' không khớp mã các đơn "
                         f"vị ({', '.join(sorted(prefixes))}.…): số liệu của tỉnh khác?")


def _is_an_earlier_period(current_path: Path, previous_path: Path, settings: ReportSettings,
                          previous: ReportSettings) -> None:
    """--ky-truoc must be another, earlier period of the same office."""
    if current_path.resolve() == previous_path.resolve() or (
            current_path.stat().st_size == previous_path.stat().st_size
            and current_path.read_bytes() == previous_path.read_bytes()):
        raise InputError(f"--ky-truoc '{previous_path.name}' là chính số liệu kỳ này: chọn tệp "
                         "của kỳ trước.")
    if previous.ky_bao_cao:
        try:
            earlier = previous.period
        except InputError as error:
            raise InputError(f"Tệp kỳ trước '{previous_path.name}': {error}") from None
        if earlier.last_day >= settings.period.first_day:
            raise InputError(f"Tệp kỳ trước '{previous_path.name}' là kỳ {earlier}, không trước "
                             f"kỳ báo cáo {settings.period}.")
    for key, label in (("ma_tinh_cong", "mã tỉnh trên Cổng"), ("co_quan_bao_cao", "cơ quan")):
        mine, theirs = getattr(settings, key).strip(), getattr(previous, key).strip()
        if mine and theirs and mine.casefold() != theirs.casefold():
            raise InputError(f"Tệp kỳ trước '{previous_path.name}' của {label} '{theirs}', "
                             f"kỳ này của '{mine}': không so sánh được.")


def _ranked_among_peers(office, settings: ReportSettings):
    """The office's rank in the portal's list of its peers (Cấu hình dong_cap, --dong-cap)."""
    from xl766.portal.peers import peer_rank, read_peers

    if not settings.ma_tinh_cong:
        raise InputError("dong_cap cần ma_tinh_cong (mã của cơ quan trên Cổng, vd H44) để tìm "
                         "cơ quan trong danh sách đồng cấp.")
    path = Path(settings.dong_cap)
    rank, count = peer_rank(read_peers(path), settings.ma_tinh_cong.strip(), path.name)
    return replace(office, rank=rank, peers=count)


def _renamed(path: str) -> dict[str, list[str]]:
    """The units renamed or merged since earlier periods: a .csv with columns hien_nay (the unit
    now, name or code) and truoc_day (one of its names or codes then; a merged unit has several
    rows)."""
    if not path:
        return {}
    from xl766.adapters.tables import read_table
    from xl766.engine.inputs import texts

    table = read_table(Path(path)).frame
    missing = {"hien_nay", "truoc_day"} - set(table.columns)
    if missing:
        raise InputError(f"Tệp ghép đơn vị '{Path(path).name}' thiếu cột "
                         f"{', '.join(sorted(missing))} (cần hien_nay, truoc_day).")
    renamed: dict[str, list[str]] = {}
    for now, then in zip(texts(table["hien_nay"]), texts(table["truoc_day"]), strict=True):
        if now and then:
            renamed.setdefault(now, []).append(then)
    return renamed


def office_name(settings: ReportSettings) -> str:
    """Who the history files a period under: the province's portal code, else the office."""
    return (settings.ma_tinh_cong or settings.co_quan_bao_cao or settings.ten_co_quan
            or "Cơ quan báo cáo").strip()


@contextmanager
def _history(settings: ReportSettings, record: bool):
    """The office's history (Cấu hình lich_su, --lich-su, else the user's data folder); None
    when nothing is recorded and there is no history yet."""
    path = history_file(settings.lich_su)
    if not record and not path.exists():
        yield None
        return
    store = History(path)
    try:
        yield store
    finally:
        store.close()


def create_report(input_path: Path, output_path: Path, *, indicator_set: str | None = None,
                  period: str | None = None, previous_path: Path | None = None,
                  issuer: str | None = None, settings_file: Path | None = None,
                  overwrite: bool = False, source: ReportInput | None = None,
                  document_path: Path | None = None, form: str | None = None,
                  history_path: Path | None = None, record: bool = True,
                  comparison: str | None = None, peers_path: Path | None = None,
                  renamed_path: Path | None = None) -> ReportContent:
    """Read the filled template (or a wide table), check everything, write the appendix workbook
    and, when asked, the Word draft.

    Nothing is written when the input has errors: they are all raised together.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    sources = (input_path,) + ((Path(previous_path),) if previous_path else ())
    if output_path.suffix.lower() != ".xlsx":
        raise InputError(f"Tệp báo cáo '{output_path.name}' phải có đuôi .xlsx.")
    if document_path is not None and Path(document_path).suffix.lower() != ".docx":
        raise InputError(f"Tệp văn bản '{Path(document_path).name}' phải có đuôi .docx.")
    for target in filter(None, (output_path, document_path)):
        check_output(Path(target), inputs=sources, overwrite=overwrite)
    source = source or read_report_input(input_path)  # the ribbon has read it already
    base = ReportSettings.from_file(settings_file) if settings_file else source.settings
    settings = base.overridden(ky_bao_cao=period, ten_co_quan=issuer,
                               bo_chi_so=indicator_set, mau_van_ban=form,
                               lich_su=str(history_path) if history_path else None,
                               so_sanh=comparison,
                               dong_cap=str(peers_path) if peers_path else None,
                               ghep_don_vi=str(renamed_path) if renamed_path else None)
    form_file = form_path(settings.mau_van_ban)  # a wrong name is said before any work
    document_word = DOCUMENT_WORDS[form_kind(form_file)]
    if not settings.bo_chi_so:
        raise InputError("Chưa chọn bộ chỉ số: ghi ở trang 'Cấu hình' (bo_chi_so) "
                         "hoặc dùng --bo-chi-so.")
    if not settings.ky_bao_cao:
        raise InputError("Chưa có kỳ báo cáo: ghi ở trang 'Cấu hình' (ky_bao_cao) hoặc dùng --ky.")
    settings.period  # noqa: B018 - validates the period before any work
    _agrees_with_its_sheet(period, base)
    _province_matches_units(settings, source)
    previous = read_report_input(Path(previous_path)) if previous_path else None
    if previous is not None:
        _is_an_earlier_period(input_path, Path(previous_path), settings, previous.settings)
    indicator_set = source.indicator_set(settings.bo_chi_so)
    _set_covers(indicator_set, settings.period)
    if previous is not None and previous.settings.bo_chi_so and previous.settings.ky_bao_cao:
        _set_covers(previous.indicator_set(previous.settings.bo_chi_so), previous.settings.period)
    settings.thresholds()  # noqa: B018 - a wrong threshold is said before any work
    with _history(settings, record) as store:
        office = office_name(settings)
        earlier = store.earlier(office, settings.period, MOST_PERIODS - 1) if store else []
        from_store = (store.load(office, str(settings.comparison_period()))
                      if store and previous is None else None)
        content = replace(assemble(source, indicator_set, settings, previous,
                                   previous_period=from_store, history=tuple(earlier),
                                   renamed=_renamed(settings.ghep_don_vi)),
                          document_word=document_word)
        if content.errors:
            lines = [f"Số liệu có {len(content.errors)} lỗi; chưa lập báo cáo:"]
            lines += [e.finding.describe(e.sheet) for e in content.errors]
            raise InputError("\n".join(lines))
        if settings.dong_cap:
            content = replace(content, office=_ranked_among_peers(content.office, settings))
        if store and record:
            store.record(office, period_scores(content.scores, str(settings.period),
                                               content.office), input_path)
    outputs = [(output_path, lambda temporary: write_report(content, temporary))]
    if document_path is not None:
        from xl766.report.document import write_document

        outputs.append((Path(document_path),
                        lambda temporary: write_document(content, temporary, form_file)))
    write_outputs(outputs, overwrite=overwrite)  # the workbook and its draft: both or neither
    return content
