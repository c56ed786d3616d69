from django import forms
from django.utils.translation import gettext_lazy as _

from inatrade.registry import case_kind_choices
from workspace.reports import selectors
from inatrade.workdays import today


class SlaReportFilter(forms.Form):
    """Input shape of the SLA report's filters (page, exports and API alike)."""

    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    step = forms.ChoiceField(label=_("Langkah"), required=False)
    kind = forms.ChoiceField(label=_("Jenis perkara"), required=False,
                             choices=lambda: [("", _("Semua"))] + case_kind_choices())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("Semua"))] + [(s.code, s.label) for s in selectors.sla_steps_with_deadline()]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"year": data.get("year") or today().year, "step": data.get("step") or None, "kind": data.get("kind") or None}
