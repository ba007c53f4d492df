"""One entry point for "Tạo báo cáo": the CLI and the ribbon button both call it."""

from __future__ import annotations

from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.adapters.files import check_output, write_outputs
from xl766.report.content import ReportContent, assemble
from xl766.report.inputs import ReportInput, read_report_input
from xl766.report.settings import ReportSettings
from xl766.report.workbook import write_report


def create_report(input_path: Path, output_path: Path, *, indicator_set: str | None = None,
                  period: str | None = None, previous_path: Path | None = None,
                  issuer: str | None = None, settings_file: Path | None = None,
                  overwrite: bool = False, source: ReportInput | None = None,
                  document_path: Path | None = None) -> ReportContent:
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
                                          bo_chi_so=indicator_set)
    if not settings.bo_chi_so:
        raise InputError("Chưa chọn bộ chỉ số: ghi ở trang 'Cấu hình' (bo_chi_so) "
                         "hoặc dùng --bo-chi-so.")
    if not settings.ky_bao_cao:
        raise InputError("Chưa có kỳ báo cáo: ghi ở trang 'Cấu hình' (ky_bao_cao) hoặc dùng --ky.")
    settings.period  # noqa: B018 - validates the period before any work
    previous = read_report_input(Path(previous_path)) if previous_path else None
    content = assemble(source, source.indicator_set(settings.bo_chi_so), settings, previous)
    if content.errors:
        lines = [f"Số liệu có {len(content.errors)} lỗi; chưa lập báo cáo:"]
        lines += [e.finding.describe(e.sheet) for e in content.errors]
        raise InputError("\n".join(lines))
    outputs = [(output_path, lambda temporary: write_report(content, temporary))]
    if document_path is not None:
        from xl766.report.document import write_document

        outputs.append((Path(document_path), lambda temporary: write_document(content, temporary)))
    write_outputs(outputs, overwrite=overwrite)  # the workbook and its draft: both or neither
    return content
