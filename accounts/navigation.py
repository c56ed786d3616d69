"""The navigation of the base layout, by role (registered into ``inatrade.context_processors``
by ``AccountsConfig.ready``: the roles are accounts', so the table lives here)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import OFFICER_ROLES, Role

# (label, url name, roles allowed; None = every signed-in user). A link appears only for the
# roles its view admits.
NAVIGATION = [
    (_("Beranda"), "dashboard", None),
    (_("Daftar kerja"), "work-list", OFFICER_ROLES),
    (_("Perizinan"), "permit-list", None),
    (_("Verifikasi perizinan"), "permit-verify", None),
    (_("Registrasi Hak Akses"), "registration_list", {Role.COUNTER_OFFICER, Role.FIELD_VERIFIER, Role.DIRECTOR, Role.ADMINISTRATOR}),
    (_("Pemegang Hak Akses"), "access_holders", {Role.DIRECTOR, Role.ADMINISTRATOR}),
    (_("Laporkan kehilangan akun"), "lost_credentials", {Role.IMPORTER}),
    # "API" here is the importer identification number (Angka Pengenal Importir), not the
    # programming interface, whose documentation is linked in the footer for developers.
    (_("Angka Pengenal Importir (API) saya"), "api-my", {Role.IMPORTER}),
    (_("Daftar kerja API"), "api-work-list", {Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR}),
    (_("Rekap API"), "api-recap", {Role.ISSUER_OFFICER, Role.DIRECTOR_GENERAL}),
    (_("Impor gula"), "sugar-home", {Role.IMPORTER, Role.COUNTER_OFFICER, Role.DIRECTOR, Role.DIRECTOR_GENERAL, Role.SURVEYOR, Role.ADMINISTRATOR}),
    (_("Rekomendasi gula"), "sugar-recommendations", {Role.AGENCY, Role.COUNTER_OFFICER, Role.DIRECTOR_GENERAL}),
    (_("Dasbor dan laporan SLA"), "workspace-dashboard", {Role.DIRECTOR, Role.DIRECTOR_GENERAL, Role.ADMINISTRATOR}),
    (_("Administrasi"), "admin:index", {Role.ADMINISTRATOR}),
]
