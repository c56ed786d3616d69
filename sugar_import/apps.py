from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SugarImportConfig(AppConfig):
    name = "sugar_import"
    verbose_name = _("Persetujuan Impor gula")

    def ready(self):
        from permits.scopes import register_permit_scope
        from sugar_import.selectors import sugar_permit_scope

        register_permit_scope(kinds=("sugar_pi",), scope=sugar_permit_scope)

        from permits.documents import register_kind

        register_kind(
            code="sugar_pi", label="Persetujuan Impor Gula", template="permits/pdf/letter_lampiran_iv.html",
            # P14 Pasal 8: NIB as API-U, Rekomendasi / surat penugasan, name and address, HS, sugar
            # type, volume, origin, port (in the lines), number, date and validity.
            required=("application", "regulation", "grant_subject", "sugar_type", "lines"),
            line_required=("hs_code", "description", "quantity", "unit", "origin_country", "port_of_discharge"),
            # P14 Pasal 8(1) b/c: a Rekomendasi or a surat penugasan.
            validate=lambda content: [] if content.get("recommendation") or content.get("assignment")
            else ["recommendation|assignment"],
        )
