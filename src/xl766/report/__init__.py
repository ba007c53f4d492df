"""The monthly appendix workbook ("Tạo báo cáo"): Biểu 01/02/03, charts, narrative, checks."""
