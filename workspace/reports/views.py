"""The SLA report (SLA-05) and the director's dashboard. Thin: the filter form checks the
input shape, the selectors read, the templates show a chart and the same numbers as a table."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.utils.translation import gettext as _

from accounts.models import OFFICER_ROLES, Role
from accounts.permissions import role_required
from inatrade.workdays import today
from workspace.reports import charts, exports, selectors
from workspace.reports.forms import SlaReportFilter

DASHBOARD_ROLES = (Role.DIRECTOR, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR)


def _month(day) -> str:
    return dateformat.format(day, "M")


def _report(request):
    form = SlaReportFilter(request.GET or None)
    return form, selectors.sla_report(**form.filters())


@role_required(*OFFICER_ROLES)
def sla_report(request):
    form, report = _report(request)
    months = report.months()
    chart = charts.bar_chart(
        title=_("Keputusan per bulan: tepat waktu dan terlambat"), chart_id="sla-chart",
        categories=[_month(m["month"]) for m in months],
        series=[(_("Tepat waktu"), [m["on_time"] for m in months]), (_("Terlambat"), [m["late"] for m in months])],
    )
    query = request.GET.urlencode()
    return render(request, "workspace/reports/sla.html", {"form": form, "report": report, "chart": chart,
                                                          "months": months, "query": query})


@role_required(*OFFICER_ROLES)
def sla_report_export(request, fmt: str):
    _form, report = _report(request)
    if fmt == "xlsx":
        body, content_type = exports.sla_report_xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = exports.sla_report_csv(report), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="laporan-sla-{report.year}.{fmt}"'
    return response


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    year = today().year
    try:
        year = int(request.GET.get("year") or year)
    except ValueError:
        pass
    if not 2000 <= year <= 2100:  # the report form's range; beyond it dates overflow (issue 15)
        from django.core.exceptions import BadRequest

        raise BadRequest("year out of range")
    data = selectors.director_dashboard(year=year)
    steps = data["open_steps"]
    context = {
        **data,
        "age_chart": charts.bar_chart(
            title=_("Perkara terbuka per langkah dan umur (hari kerja)"), chart_id="age-chart",
            categories=[charts.short_label(s["label"]) for s in steps],
            series=[(f'{label} {_("hari kerja")}', [s["buckets"][i] for s in steps]) for i, label in enumerate(data["age_buckets"])],
        ),
        "overdue_chart": charts.bar_chart(
            title=_("Perkara lewat batas waktu per langkah"), chart_id="overdue-chart",
            categories=[charts.short_label(s["label"]) for s in steps], series=[(_("Lewat batas waktu"), [s["overdue"] for s in steps])],
            colours=[charts.OVERDUE_COLOUR],
        ),
        "permits_chart": charts.bar_chart(
            title=_("Izin terbit per bulan"), chart_id="permits-chart", stacked=False,
            categories=[_month(m["month"]) for m in data["permits"]],
            series=[(s.label, [m[s.key] for m in data["permits"]]) for s in data["series"]],
        ),
        # Sections of their own that feature apps register (the sugar quota panel).
        "panels": [
            {"template": panel.template, **panel.context(data[panel.key])} for panel in selectors.dashboard_panels()
        ],
    }
    return render(request, "workspace/reports/dashboard.html", context)
