"""The bundled Word forms (docxtpl templates) and how a form is chosen: a bundled name, or the
path of a .docx an office edited from one of them."""

from __future__ import annotations

from pathlib import Path

from xl766.adapters.errors import InputError

FOLDER = Path(__file__).parent
DEFAULT = "bao-cao-ngan"
FORMS = {
    "bao-cao-ngan": "báo cáo ngắn: kết quả, xếp loại, thay đổi, thanh toán, số hóa",
    "bao-cao-nhom": "báo cáo theo nhóm chỉ số: từng nhóm với chỉ số thành phần, bảng đơn vị, "
                    "biểu đồ",
    "cong-van": "công văn: Kính gửi, V/v, kết quả từng nhóm với tỷ lệ và số hồ sơ",
    "thong-bao": "thông báo, kèm phụ lục một số tiêu chí thành phần của từng đơn vị",
}
# what the appendices' "(Kèm theo … số …)" calls the document each form is
DOCUMENT_WORDS = {"bao-cao-ngan": "Báo cáo", "bao-cao-nhom": "Báo cáo", "cong-van": "Công văn",
                  "thong-bao": "Thông báo"}


def form_path(choice: str) -> Path:
    """A bundled form by name, or an office's own .docx."""
    choice = choice.strip() or DEFAULT
    if choice in FORMS:
        return FOLDER / f"{choice}.docx"
    path = Path(choice)
    if path.suffix.lower() != ".docx":
        raise InputError(f"Mẫu văn bản '{choice}' không có: chọn {', '.join(FORMS)} hoặc đường "
                         "dẫn một tệp .docx.")
    if not path.is_file():
        raise InputError(f"Không thấy tệp mẫu văn bản '{choice}'.")
    return path


def form_kind(path: Path) -> str:
    """Which bundled form a template was made from (kept in its properties when edited in Word);
    the short report when it cannot be told."""
    from docx import Document

    try:
        category = Document(str(path)).core_properties.category or ""
    except Exception:  # noqa: BLE001 - unreadable here is reported by the renderer, with its name
        return DEFAULT
    return category if category in FORMS else DEFAULT
