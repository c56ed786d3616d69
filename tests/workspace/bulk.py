"""Many rows at once for the query-count tests and the PERF-03 benchmark: sugar PIs (with
their application and permits.Permit rows) and importers, by bulk_create."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def sugar_permits(*, company, user, purpose, sugar_type, issued: list[tuple[date, str]], prefix="T", valid_until=None,
                  status="active", signed_content: dict | None = None, batch_size=5000) -> list:
    """``signed_content``: give every permit a signed current version with that content (as an
    issued PI has), so that a sanction also writes its INSW event."""
    from permits.models import Permit, PermitStatus, PermitVersion, VersionState
    from sugar_import.models import ApplicationStatus, SugarApplication, SugarPermit

    applications = SugarApplication.objects.bulk_create([
        SugarApplication(reference=f"APP-{prefix}-{n}", company=company, created_by=user, purpose=purpose,
                         sugar_type=sugar_type, status=ApplicationStatus.APPROVED)
        for n in range(len(issued))
    ], batch_size=batch_size)
    permits = Permit.objects.bulk_create([
        Permit(kind="sugar_pi", number=f"PI-{prefix}-{n}", holder=company, title="PI gula", valid_from=day,
               valid_until=valid_until or date(day.year, 12, 31), status=PermitStatus.VALID)
        for n, (day, _t) in enumerate(issued)
    ], batch_size=batch_size)
    if signed_content is not None:
        versions = PermitVersion.objects.bulk_create([
            PermitVersion(permit=p, version_no=1, state=VersionState.SIGNED, content=signed_content, issued_on=p.valid_from,
                          signer=user, pdf_path=f"permits/{p.number}/v1.pdf", sha256=f"{p.pk:064x}", size=1000)
            for p in permits
        ], batch_size=batch_size)
        from inatrade import bulksql

        bulksql.execute(
            "UPDATE permits_permit SET current_version_id = v.id FROM permits_permitversion v "
            f"WHERE v.permit_id = permits_permit.id AND permits_permit.id IN ({bulksql.ids_select()})",
            [bulksql.json_param([p.pk for p in permits])],
        )
        for p, v in zip(permits, versions):
            p.current_version = v
    return SugarPermit.objects.bulk_create([
        SugarPermit(application=a, permit=p, number=p.number, company=company, purpose=purpose, sugar_type=sugar_type,
                    volume_tonnes=Decimal(tonnes), issued_on=day, valid_from=day, valid_until=p.valid_until, status=status)
        for a, p, (day, tonnes) in zip(applications, permits, issued)
    ], batch_size=batch_size)


def idle_importers(*, company, n: int, last_used_at, prefix="U", batch_size=5000) -> list:
    from accounts.models import AccessStatus, Role, User

    return User.objects.bulk_create([
        User(username=f"{prefix}{i:07d}", role=Role.IMPORTER, access_status=AccessStatus.ACTIVE, company=company,
             email=f"{prefix.lower()}{i}@example.co.id", password="!", last_used_at=last_used_at, date_joined=last_used_at)
        for i in range(n)
    ], batch_size=batch_size)


def overdue_steps(*, n: int, started_at, prefix=0, batch_size=5000) -> list:
    from inatrade.workdays import add_working_days
    from workspace.models import CaseStep

    due = add_working_days(started_at, 2)
    return CaseStep.objects.bulk_create([
        CaseStep(kind="registration", case_id=prefix + i, page_arg=str(prefix + i), reference=f"REG-{prefix + i:07d}",
                 party_name="PT Uji", step_id="hak_akses_grant", role="director", started_at=started_at, due_date=due)
        for i in range(n)
    ], batch_size=batch_size)
