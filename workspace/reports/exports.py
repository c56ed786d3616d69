"""The SLA report (SLA-05) as CSV and XLSX: the same rows, the same columns as the page."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from workspace.reports.selectors import SlaReport


def _header() -> list[str]:
    return [_("Kode langkah"), _("Langkah"), _("Batas waktu (hari kerja)"), _("Bulan"), _("Tepat waktu"),
            _("Terlambat"), _("Jumlah"), _("Median (hari kerja)"), _("Terlama (hari kerja)")]


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet shows as text: a leading formula character gets a quote in
    front (OWASP's advice); numbers and dates are left as they are (issue 15)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _values(report: SlaReport) -> list[list]:
    rows = [[r.step_code, r.step_name, r.deadline_days, r.month.strftime("%Y-%m"), r.on_time, r.late, r.total,
             r.median, r.worst] for r in report.rows]
    return [[spreadsheet_safe(value) for value in row] for row in rows]


def sla_report_csv(report: SlaReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(value) for value in _header()])
    writer.writerows(_values(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def sla_report_xlsx(report: SlaReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"SLA {report.year}"
    sheet.append([spreadsheet_safe(value) for value in _header()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _values(report):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (24, 48, 12, 10, 12, 12, 10, 14, 14)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
