"""xl766: chấm điểm, xếp loại và lập báo cáo Bộ chỉ số phục vụ người dân, doanh nghiệp."""

__version__ = "0.1.0"
