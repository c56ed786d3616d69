from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workspace"
    verbose_name = _("Ruang kerja petugas")

    def ready(self):
        from inatrade import casesteps
        from workspace import selectors, services

        casesteps.register(_CaseSteps(services, selectors))


class _CaseSteps:
    """The workspace's case steps behind ``inatrade.casesteps`` (issue 18: apps below the
    workspace start and finish steps without importing it)."""

    def __init__(self, services, selectors):
        self.case_step_start = services.case_step_start
        self.case_step_finish = services.case_step_finish
        self.current_step_for = selectors.current_step_for
