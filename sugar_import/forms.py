"""Browser forms of sugar imports: input shape only; the rules live in services."""

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sugar_import.models import Country, Port, Purpose, Recommendation, RecommendationKind, RevocationReason, SugarType

LINE_ROWS = 5
SHIPMENT_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"


HS_HELP = _("8 digit, boleh dengan atau tanpa titik: 17011400 atau 1701.14.00.")


class HsCodeField(forms.CharField):
    """An HS code of 8 digits typed as "17011400", "1701 14 00" or "1701.14.00", stored in
    the BTKI form "1701.14.00"; anything else is refused with the format explained."""

    default_error_messages = {"invalid": _("Pos tarif harus 8 digit, misalnya 1701.14.00 atau 17011400.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "1701.14.00", "inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        digits = "".join(ch for ch in value if not (ch.isspace() or ch in ".-"))
        if len(digits) != 8 or not digits.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"


def _row_label(field: forms.Field, row: int) -> None:
    """A table cell's input has no <label> of its own: name it by its column and row (WCAG
    1.3.1, axe ``label``/``select-name``)."""
    field.label = _("%(label)s, baris %(row)s") % {"label": field.label, "row": row + 1}
    field.widget.attrs["aria-label"] = field.label


class ApplicationForm(forms.Form):
    purpose = forms.ModelChoiceField(label=_("Tujuan impor"), queryset=Purpose.objects.all(), to_field_name="code")
    sugar_type = forms.ModelChoiceField(label=_("Jenis gula"), queryset=SugarType.objects.all(), to_field_name="code")
    recommendation = forms.ModelChoiceField(label=_("Rekomendasi"), queryset=Recommendation.objects.none(), required=False)
    assignment = forms.ModelChoiceField(label=_("Surat penugasan"), queryset=Recommendation.objects.none(), required=False)
    period_from = forms.DateField(label=_("Periode kebutuhan produksi dari (tanpa Rekomendasi)"), required=False, widget=DateInput)
    period_until = forms.DateField(label=_("sampai"), required=False, widget=DateInput)

    def __init__(self, *args, company=None, manual=False, purposes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if purposes is not None:  # only the purposes the company may apply for (PI-02)
            self.fields["purpose"].queryset = Purpose.objects.filter(pk__in=[p.pk for p in purposes])
        if manual:
            # PI-10: a UPTP I officer enters a paper application in force majeure.
            self.fields["company_nib"] = forms.RegexField(r"^\d{13}$", label=_("NIB pemohon"))
            self.fields["manual_letter"] = forms.FileField(label=_("Surat permohonan yang dipindai (PDF)"))
        if manual:
            mine = Recommendation.objects.select_related("company", "sugar_type")
        else:
            mine = Recommendation.objects.filter(company=company).select_related("sugar_type") if company else Recommendation.objects.none()
        self.fields["recommendation"].queryset = mine.filter(kind=RecommendationKind.RECOMMENDATION)
        self.fields["assignment"].queryset = mine.filter(kind=RecommendationKind.ASSIGNMENT)
        for name in ("recommendation", "assignment"):
            self.fields[name].label_from_instance = _basis_label
        # Countries named in the user's language, in that language's order (reference data in both).
        countries = [("", "—")] + sorted(((c.code, c.label) for c in Country.objects.only("code", "name", "name_en")),
                                         key=lambda pair: pair[1])
        ports = [("", "—")] + [(p.code, str(p)) for p in Port.objects.filter(is_active=True)]
        for i in range(LINE_ROWS):
            required = i == 0
            self.fields[f"hs_code_{i}"] = HsCodeField(label=_("Pos tarif/HS"), required=required)
            self.fields[f"description_{i}"] = forms.CharField(label=_("Uraian"), required=False, max_length=300)
            self.fields[f"volume_{i}"] = forms.DecimalField(label=_("Volume (ton)"), required=required, max_digits=14,
                                                            decimal_places=3, min_value=0)
            self.fields[f"origin_{i}"] = forms.ChoiceField(label=_("Negara asal"), choices=countries, required=required)
            self.fields[f"port_{i}"] = forms.ChoiceField(label=_("Pelabuhan bongkar"), choices=ports, required=required)
            for name in ("hs_code", "description", "volume", "origin", "port"):
                _row_label(self.fields[f"{name}_{i}"], i)

    def line_rows(self):
        return [[self[f"{name}_{i}"] for name in ("hs_code", "description", "volume", "origin", "port")] for i in range(LINE_ROWS)]

    def lines(self) -> list[dict]:
        data, rows = self.cleaned_data, []
        for i in range(LINE_ROWS):
            if data.get(f"hs_code_{i}"):
                rows.append({"hs_code": data[f"hs_code_{i}"], "description": data.get(f"description_{i}") or "Gula",
                             "volume_tonnes": data.get(f"volume_{i}"), "origin_country": data.get(f"origin_{i}"),
                             "port_of_discharge": data.get(f"port_{i}")})
        return rows


def _basis_label(basis) -> str:
    """A Rekomendasi / Surat penugasan as offered on the form: with what is left of it."""
    return _("%(number)s (%(type)s, sisa %(left)s ton, berlaku s.d. %(until)s)") % {
        "number": basis.number, "type": basis.sugar_type.code, "left": floatformat(basis.remaining_tonnes, "-3g"),
        "until": date_format(basis.valid_until, "j F Y"),
    }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"))
    file = forms.FileField(label=_("Berkas PDF"))

    def __init__(self, *args, purpose=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(d["code"], d["label"]) for d in (purpose.documents if purpose else [])]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RevokeForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Alasan pencabutan (Pasal 19)"), choices=RevocationReason.choices)
    note = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Bulan"))
    nil_report = forms.BooleanField(label=_("Tidak ada realisasi bulan ini (laporan nihil)"), required=False)
    destination = forms.CharField(label=_("Tujuan penggunaan/penyaluran gula"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, periods=(), hs_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.strftime("%Y-%m"), p.strftime("%Y-%m")) for p in periods]
        for i in range(SHIPMENT_ROWS):
            self.fields[f"pib_number_{i}"] = forms.CharField(label=_("Nomor PIB"), required=False, max_length=30)
            self.fields[f"pib_date_{i}"] = forms.DateField(label=_("Tanggal PIB"), required=False, widget=DateInput)
            self.fields[f"hs_code_{i}"] = forms.ChoiceField(label=_("Pos tarif/HS"), required=False,
                                                            choices=[("", "—")] + [(h, h) for h in hs_codes])
            self.fields[f"volume_{i}"] = forms.DecimalField(label=_("Volume (ton)"), required=False, max_digits=14, decimal_places=3, min_value=0)
            self.fields[f"pib_file_{i}"] = forms.FileField(label=_("PIB (PDF)"), required=False)
            for name in ("pib_number", "pib_date", "hs_code", "volume", "pib_file"):
                _row_label(self.fields[f"{name}_{i}"], i)

    def shipment_rows(self):
        return [[self[f"{n}_{i}"] for n in ("pib_number", "pib_date", "hs_code", "volume", "pib_file")] for i in range(SHIPMENT_ROWS)]

    def shipments(self) -> list[dict]:
        data, rows = self.cleaned_data, []
        for i in range(SHIPMENT_ROWS):
            if data.get(f"pib_number_{i}") or data.get(f"volume_{i}"):
                rows.append({"pib_number": data.get(f"pib_number_{i}"), "pib_date": data.get(f"pib_date_{i}"),
                             "hs_code": data.get(f"hs_code_{i}"), "volume_tonnes": data.get(f"volume_{i}"),
                             "pib_file": data.get(f"pib_file_{i}")})
        return rows


class AmendmentForm(forms.Form):
    reason = forms.CharField(label=_("Alasan perubahan"), widget=forms.Textarea(attrs={"rows": 2}))
    address = forms.CharField(label=_("Alamat baru"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hs_code = HsCodeField(label=_("Pos tarif/HS"), required=False, help_text=HS_HELP)
    volume = forms.DecimalField(label=_("Volume baru (ton)"), required=False, max_digits=14, decimal_places=3, min_value=0)
    origin = forms.ModelChoiceField(label=_("Negara asal"), queryset=Country.objects.all(), required=False)
    port = forms.ModelChoiceField(label=_("Pelabuhan bongkar"), queryset=Port.objects.filter(is_active=True), required=False)


class RecommendationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=RecommendationKind.choices)
    company_nib = forms.RegexField(r"^\d{13}$", label=_("NIB perusahaan"))
    issuer = forms.CharField(label=_("Instansi penerbit"), max_length=200)
    number = forms.CharField(label=_("Nomor"), max_length=100)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput)
    sugar_type = forms.ModelChoiceField(label=_("Jenis gula"), queryset=SugarType.objects.all(), to_field_name="code")
    volume_tonnes = forms.DecimalField(label=_("Volume (ton)"), max_digits=14, decimal_places=3, min_value=0)
    hs_codes = forms.CharField(label=_("Pos tarif/HS (pisahkan dengan koma)"))
    origin_countries = forms.ModelMultipleChoiceField(label=_("Negara asal"), queryset=Country.objects.all())
    ports = forms.ModelMultipleChoiceField(label=_("Pelabuhan tujuan"), queryset=Port.objects.filter(is_active=True))
    valid_from = forms.DateField(label=_("Berlaku dari"), widget=DateInput)
    valid_until = forms.DateField(label=_("Berlaku sampai"), widget=DateInput)


class ImporterRecommendationForm(RecommendationForm):
    """PI-03, P123 Pasal 9(4): the importer records a Rekomendasi from its signed PDF."""

    file = forms.FileField(label=_("PDF Rekomendasi bertanda tangan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["company_nib"]


# --------------------------------------------------------------------------- surveyors (PI-14)
class SurveyorReportForm(forms.Form):
    """Laporan Surveyor of one raw-sugar shipment (P14 Pasal 15); the rules (ICUMSA, volume
    left, shipping date, truth statement) are checked by ``services.surveyor_report_record``."""

    ls_number = forms.CharField(label=_("Nomor LS"), max_length=60)
    icumsa = forms.IntegerField(label=_("ICUMSA (IU)"), min_value=0, max_value=100000)
    shipping_date = forms.DateField(label=_("Tanggal pengapalan"), widget=DateInput)
    volume_tonnes = forms.DecimalField(label=_("Volume (ton)"), max_digits=14, decimal_places=3, min_value=0)
    truth_statement = forms.BooleanField(
        label=_("Kami menyatakan hasil verifikasi ini benar (Pasal 15 ayat (2))"), required=False)


class SurveyorMonthlyReportForm(forms.Form):
    """P14 Pasal 17: the surveyor's monthly report, by SURVEYOR_REPORT_DAY of the next month (services.common)."""

    period = forms.RegexField(r"^\d{4}-\d{2}$", label=_("Bulan (YYYY-MM)"),
                              widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}))
    summary = forms.CharField(label=_("Ringkasan kegiatan verifikasi"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class SurveyorDesignateForm(forms.Form):
    """P14 Pasal 13(2), 14: one PDF per Pasal 14(1) document (``doc_<code>``). Whether all are
    present is the service's rule; the form only takes them."""

    name = forms.CharField(label=_("Nama surveyor"), max_length=200)
    decree_number = forms.CharField(label=_("Nomor keputusan penetapan"), max_length=100)
    designated_on = forms.DateField(label=_("Ditetapkan pada"), widget=DateInput)
    users = forms.ModelMultipleChoiceField(label=_("Akun surveyor"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from accounts.models import Role, User
        from sugar_import.models import SURVEYOR_DOCUMENTS

        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(role=Role.SURVEYOR).order_by("username")
        for code, label in SURVEYOR_DOCUMENTS.items():
            self.fields[f"doc_{code}"] = forms.FileField(label=label, required=False)

    def documents(self) -> dict:
        from sugar_import.models import SURVEYOR_DOCUMENTS

        return {code: self.cleaned_data.get(f"doc_{code}") for code in SURVEYOR_DOCUMENTS
                if self.cleaned_data.get(f"doc_{code}") is not None}


# --------------------------------------------------------------------------- exemptions (PI-16)
class ExemptionRequestForm(forms.Form):
    """P14 Pasal 34(2)–(3): entered by the UPTP I counter officer."""

    applicant_name = forms.CharField(label=_("Nama pemohon / lembaga"), max_length=200)
    identity_number = forms.CharField(label=_("Nomor identitas (NIK/NIB/paspor)"), max_length=30)
    company_nib = forms.RegexField(r"^\d{13}$", label=_("NIB perusahaan pemohon (jika ada)"), required=False)
    recommendation_reference = forms.CharField(label=_("Rekomendasi (nomor, instansi)"), max_length=200, required=False)
    goods_description = forms.CharField(label=_("Uraian barang"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    hs_code = HsCodeField(label=_("Pos tarif/HS"), help_text=HS_HELP)
    quantity_kg = forms.DecimalField(label=_("Jumlah (kg)"), max_digits=14, decimal_places=3, min_value=0)
    self_declaration = forms.BooleanField(label=_("Surat pernyataan tidak untuk diperdagangkan dilampirkan"), required=False)
    recommendation_file = forms.FileField(label=_("Surat rekomendasi/keterangan instansi (PDF)"), required=False)
    declaration_file = forms.FileField(label=_("Surat pernyataan mandiri (PDF)"), required=False)


# --------------------------------------------------------------------------- quotas (PI-05)
class QuotaForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    purpose = forms.ModelChoiceField(label=_("Tujuan impor"), queryset=Purpose.objects.all(), to_field_name="code")
    sugar_type = forms.ModelChoiceField(label=_("Jenis gula"), queryset=SugarType.objects.all(), to_field_name="code")
    tonnes = forms.DecimalField(label=_("Volume rakor (ton)"), max_digits=14, decimal_places=3, min_value=0)
    rakor_reference = forms.CharField(label=_("Risalah rakor"), max_length=200, required=False)
    rakor_date = forms.DateField(label=_("Tanggal rakor"), required=False, widget=DateInput)
