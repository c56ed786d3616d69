from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workspace"
    verbose_name = _("Ruang kerja petugas")

    def ready(self):
        from django.db.models.signals import post_migrate

        from inatrade import audit_labels, casesteps, registry
        from workspace import selectors, services

        casesteps.register(_CaseSteps(services, selectors))
        audit_labels.register({
            "case.claim": _("Ditangani oleh petugas"),
            "case.release": _("Dilepas ke daftar kerja"),
            "sla.sweep": _("Pemeriksaan batas waktu layanan"),
        })
        registry.job(
            name="sla_sweep", service="workspace.services.sla_sweep",
            help="Mark steps overdue, notify once, escalate at 2 working days (SLA-03).", schedule={"minute": "*/15"},
        )
        registry.demo(name="workspace", seed=_demo, order=90)
        # The registered SLA steps (SLA-04) exist after every migrate: a new kind's steps need
        # no seed migration of their own (inatrade.registry.ensure_sla_steps).
        post_migrate.connect(_ensure_sla_steps, sender=self, dispatch_uid="workspace.ensure_sla_steps")


class _CaseSteps:
    """The workspace's case steps behind ``inatrade.casesteps`` (issue 18: apps below the
    workspace start and finish steps without importing it)."""

    def __init__(self, services, selectors):
        self.case_step_start = services.case_step_start
        self.case_step_finish = services.case_step_finish
        self.current_step_for = selectors.current_step_for


def _ensure_sla_steps(using="default", **kwargs):
    from inatrade.registry import ensure_sla_steps

    ensure_sla_steps(using=using)


def _demo(out):
    from workspace import demo

    return demo.seed(out)
