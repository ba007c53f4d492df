"""Texts and thresholds a province changes without code: the Cấu hình sheet or a settings file."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from xl766.adapters.errors import InputError
from xl766.adapters.safe_text import without_control_characters
from xl766.engine.numbers import short_number
from xl766.engine.period import Period

BLANK = "\u00a0" * 6  # room left for the clerk to write by hand
_PLACEHOLDER = re.compile(r"\{(thang|nam|ky|ten_ky|co_quan|dia_ban)\}")

DEFAULT_TITLES = {
    "tieu_de_bieu_01": "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP "
                       "TRONG GIẢI QUYẾT TTHC, DVC THEO THỜI GIAN THỰC TRÊN MÔI TRƯỜNG ĐIỆN TỬ "
                       "{dia_ban} {ten_ky}",
    "tieu_de_bieu_02": "THỐNG KÊ PHÍ, LỆ PHÍ THỰC HIỆN TTHC {ten_ky}",
    "tieu_de_bieu_03": "KẾT QUẢ THỰC HIỆN SỐ HÓA HỒ SƠ THỦ TỤC HÀNH CHÍNH {ten_ky}",
}


DEFAULT_SUBJECT = ("Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện "
                   "TTHC, DVC theo thời gian thực trên môi trường điện tử {ten_ky}")


def _setting_text(key: str, value) -> str | None:
    """A settings file's value as the Cấu hình sheet would hold it; None when its type cannot
    be meant for this key (true, a table, a time...)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and key in _NUMBER_KEYS:
        return short_number(value) if isinstance(value, float) else str(value)
    if isinstance(value, date) and not isinstance(value, datetime) and key == "ngay_bao_cao":
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list) and key == "noi_nhan" and all(isinstance(v, str) for v in value):
        return ";".join(value)
    return None


_NUMBER_KEYS = {"chi_tieu_thanh_toan_truc_tuyen", "so_bao_cao", "ky_bao_cao",
                "canh_bao_giam_diem", "canh_bao_giam_lien_tiep", "canh_bao_nhom_duoi"}
COMPARISONS = ("ky-truoc", "cung-ky-nam-truoc")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _issue_date(text: str, origin: str) -> str:
    """ngay_bao_cao as DD/MM/YYYY (a real date); YYYY-MM-DD is read too."""
    found = _DATE.fullmatch(text)
    try:
        day = (date(int(found[3]), int(found[2]), int(found[1])) if found
               else date.fromisoformat(text))
    except (TypeError, ValueError):
        raise InputError(f"{origin}: khóa 'ngay_bao_cao' phải là ngày dạng NGÀY/THÁNG/NĂM "
                         f"(ví dụ 05/10/2026), nhận '{text}'") from None
    # Nghị định 30/2020: a zero before days below 10 and before months 1 and 2
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


@dataclass(frozen=True)
class ReportSettings:
    co_quan_chu_quan: str = "ỦY BAN NHÂN DÂN"
    co_quan_bao_cao: str = ""
    ten_co_quan: str = ""  # as it reads after "của …" in the attachment line
    dia_ban: str = ""  # e.g. "TRÊN ĐỊA BÀN HUYỆN TUẦN GIÁO"
    doi_tuong: str = "Các đơn vị"  # who was scored, as the narrative names them
    ky_bao_cao: str = ""  # YYYY-MM, YYYY-Qn or YYYY
    bo_chi_so: str = ""
    so_bao_cao: str = ""
    ngay_bao_cao: str = ""  # DD/MM/YYYY; blank leaves room to fill in by hand
    nguoi_lap_bieu: str = ""
    chi_tieu_thanh_toan_truc_tuyen: str = ""  # percent; blank = the set's own target
    ma_tinh_cong: str = ""  # the province's code on the portal (H44), for "Lấy số liệu từ Cổng"
    tieu_de_bieu_01: str = DEFAULT_TITLES["tieu_de_bieu_01"]
    tieu_de_bieu_02: str = DEFAULT_TITLES["tieu_de_bieu_02"]
    tieu_de_bieu_03: str = DEFAULT_TITLES["tieu_de_bieu_03"]
    # The Word draft (Nghị định 30/2020/NĐ-CP, Phụ lục I)
    ky_hieu: str = "BC-UBND"  # after "Số: …/"
    dia_danh: str = ""  # the place in "Tuần Giáo, ngày … tháng … năm …"
    trich_yeu: str = ""  # blank: the set's own subject
    quyen_han_ky: str = "TM. ỦY BAN NHÂN DÂN"
    chuc_vu_nguoi_ky: str = "CHỦ TỊCH"
    nguoi_ky: str = ""
    noi_nhan: str = "Như trên; Lưu: VT"  # separated by ";"
    mau_van_ban: str = ""  # a bundled form's name or a .docx the office edited; blank: short
    can_cu: str = ""  # documents the report rests on, separated by ";"; blank: the set's own
    kinh_gui: str = ""  # the letter's addressees, separated by ";"
    # The history: where it is kept (blank: the user's data folder), what a period compares with
    lich_su: str = ""
    dong_cap: str = ""  # a portal service-results answer listing the office's peers (.json)
    ghep_don_vi: str = ""  # a .csv: hien_nay, truoc_day (a renamed or merged unit's old names)
    so_sanh: str = "ky-truoc"  # or "cung-ky-nam-truoc": the same period a year before
    canh_bao_giam_diem: str = "0,5"
    canh_bao_giam_lien_tiep: str = "3"
    canh_bao_nhom_duoi: str = "50; 70"  # % of a group's maximum

    @classmethod
    def from_pairs(cls, pairs: dict[str, str], origin: str) -> ReportSettings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(pairs) - known)
        if unknown:
            raise InputError(f"{origin}: khóa không dùng được: {', '.join(unknown)} "
                             f"(các khóa: {', '.join(sorted(known))})")
        values = {k: without_control_characters(v).strip() for k, v in pairs.items()}
        if values.get("ngay_bao_cao"):
            values["ngay_bao_cao"] = _issue_date(values["ngay_bao_cao"], origin)
        return cls(**{k: v for k, v in values.items() if v})

    @classmethod
    def from_file(cls, path) -> ReportSettings:
        """A small TOML file with the keys of the Cấu hình sheet, for CLI runs on plain tables."""
        import tomllib

        origin = f"Tệp cấu hình '{path}'"
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise InputError(f"{origin} không phải UTF-8: lưu lại với mã hoá UTF-8.") from None
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"Không đọc được tệp cấu hình '{path}': {exc}") from None
        texts, wrong = {}, []
        for key, value in data.items():
            text = _setting_text(key, value)
            if text is None:
                wrong.append(f"khóa '{key}' phải là chữ trong ngoặc kép, nhận {value!r}")
            else:
                texts[key] = text
        if wrong:
            raise InputError(f"{origin}: " + "; ".join(wrong))
        return cls.from_pairs(texts, origin)

    def overridden(self, **values) -> ReportSettings:
        return replace(self, **{k: v for k, v in values.items() if v})

    @property
    def period(self) -> Period:
        try:
            return Period.parse(self.ky_bao_cao)
        except ValueError as error:
            raise InputError(f"Kỳ báo cáo: {error}.") from None

    def fill(self, text: str) -> str:
        """Known placeholders only; anything else, '{__class__}' included, stays as typed."""
        period = self.period
        if period.month is None and re.search(r"\{thang\}", text):
            raise InputError(f"Tiêu đề '{text}' có {{thang}} nhưng kỳ báo cáo {period} không phải "
                             "một tháng: dùng {ten_ky} (tự ghi 'tháng …', 'quý …' hoặc 'năm …').")
        values = {"thang": str(period.month), "nam": str(period.year), "ky": period.short(),
                  "ten_ky": period.words(), "co_quan": self.ten_co_quan, "dia_ban": self.dia_ban}
        return " ".join(_PLACEHOLDER.sub(lambda m: values[m.group(1)], text).split())

    def issue_date(self) -> tuple[str, str, str]:
        """Day, month, year of the report: as set, else the month after the period with the day
        left for the clerk."""
        if self.ngay_bao_cao:
            return tuple((self.ngay_bao_cao.split("/") + ["", "", ""])[:3])
        following = self.period.last_day + timedelta(days=1)
        return BLANK, str(following.month), str(following.year)

    def attachment_line(self, document: str = "Báo cáo") -> str:
        """'(Kèm theo Báo cáo số …/BC-UBND ngày … tháng … năm … của …)'; 'Công văn', 'Thông báo'
        for the forms that are one."""
        day, month, year = self.issue_date()
        return (f"(Kèm theo {document} số {self.so_bao_cao or BLANK}/{self.ky_hieu} ngày {day} "
                f"tháng {month} năm {year} của {self.ten_co_quan or BLANK})")

    def comparison_period(self) -> Period:
        """The period this one is compared with: the one before, or a year before."""
        if self.so_sanh not in COMPARISONS:
            raise InputError(f"Cấu hình: so_sanh '{self.so_sanh}' phải là "
                             f"{' hoặc '.join(COMPARISONS)}.")
        return self.period.before() if self.so_sanh == "ky-truoc" else self.period.a_year_before()

    def thresholds(self):
        """The alerts' thresholds (Theo dõi), as numbers."""
        from xl766.engine.numbers import parse_number
        from xl766.engine.trends import Thresholds

        def number(key: str, text: str) -> float:
            value = parse_number(text.strip().removesuffix("%"))
            if value is None or value != value or value < 0:
                raise InputError(f"Cấu hình: {key} '{text}' phải là số không âm.")
            return value

        shares = tuple(number("canh_bao_nhom_duoi", part) for part in _listed(
            self.canh_bao_nhom_duoi))
        times = number("canh_bao_giam_lien_tiep", self.canh_bao_giam_lien_tiep)
        if times < 1 or not float(times).is_integer():
            raise InputError("Cấu hình: canh_bao_giam_lien_tiep phải là số kỳ (1, 2, 3 …).")
        return Thresholds(number("canh_bao_giam_diem", self.canh_bao_giam_diem), int(times),
                          shares)

    def subject(self, set_subject: str) -> str:
        """The report's subject: as typed on Cấu hình, else the set's own wording."""
        return self.fill(self.trich_yeu or set_subject or DEFAULT_SUBJECT)

    def receivers(self) -> list[str]:
        return _listed(self.noi_nhan)

    def addressees(self) -> list[str]:
        return _listed(self.kinh_gui)

    def legal_basis(self) -> list[str]:
        return _listed(self.can_cu)


def _listed(text: str) -> list[str]:
    """A list typed in one cell: separated by ";" or by line breaks."""
    return [part.strip().rstrip(".") for part in text.replace("\n", ";").split(";")
            if part.strip()]
