"""The filters of the work list (SLA-03), shared by the page and the API: the query
parameters are the same in both (``?kind=&step=&company=&overdue=&assigned=&q=``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inatrade.models import SlaStep
from inatrade.workdays import today
from inatrade.registry import case_kind_choices
from workspace.models import CaseStep


def _step_choices():
    # One query per form, whatever the size of the list (PERF-02).
    return [(s.code, s.label) for s in SlaStep.objects.filter(responsible_role__gt="").only("code", "name", "name_en")]


class Assigned:
    MINE = "mine"
    UNASSIGNED = "unassigned"
    CHOICES = [(MINE, _("Ditangani saya")), (UNASSIGNED, _("Belum ditangani"))]


class WorkListFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=case_kind_choices, empty_label=_("Semua jenis"))
    step = django_filters.ChoiceFilter(label=_("Langkah"), field_name="step_id", choices=_step_choices, empty_label=_("Semua langkah"))
    company = django_filters.NumberFilter(label=_("Pelaku usaha"), field_name="company_id")
    overdue = django_filters.BooleanFilter(
        label=_("Terlambat"), method="filter_overdue",
        widget=forms.Select(choices=[("", _("Semua")), ("true", _("Hanya yang terlambat")), ("false", _("Belum terlambat"))]),
    )
    assigned = django_filters.ChoiceFilter(
        label=_("Penanganan"), choices=Assigned.CHOICES, method="filter_assigned", empty_label=_("Semua")
    )
    q = django_filters.CharFilter(label=_("Cari (nomor, pelaku usaha, NIB)"), method="filter_search")

    class Meta:
        model = CaseStep
        fields: list[str] = []  # only the filters declared above

    def __init__(self, data=None, queryset=None, *, user=None, as_of=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user, self.as_of = user, as_of

    def filter_overdue(self, queryset, name, value):
        # SLA-03: overdue from the day after the due date (as the sweep and the badges count).
        if value is None:
            return queryset
        overdue = Q(due_date__lt=self.as_of or today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_assigned(self, queryset, name, value):
        if value == Assigned.MINE:
            return queryset.filter(assignee_id=self.user.pk if self.user else None)
        if value == Assigned.UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(party_name__icontains=value) | Q(party_nib__startswith=value)
        )
