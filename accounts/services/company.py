"""Changes to a company's own data (Pelaku Usaha), each one audited with the values before
and after. Nothing else writes these fields of an existing company (issue 15, item 2)."""

from __future__ import annotations

from django.db import transaction

from accounts.audit_actions import COMPANY_UPDATE_DETAILS
from accounts.models import Company, User
from inatrade.audit import audit_record
from inatrade.db import retry_on_db_conflict

COMPANY_DETAIL_FIELDS = (
    "name", "jenis_trader", "nib", "npwp", "address", "province_code", "regency_code", "email", "phone", "is_bumn",
)


@retry_on_db_conflict
def company_update_details(*, company: Company, actor: User | None, changes: dict, reason: str) -> Company:
    """Change the company's registered details; one audit row names each field with its old
    and new value and why (e.g. "HA-14 re-registration REG-2026-000042"). Only the fields of
    ``COMPANY_DETAIL_FIELDS`` may change; unchanged values are left out of the audit."""
    unknown = set(changes) - set(COMPANY_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not a company detail: {sorted(unknown)}")
    with transaction.atomic():
        locked = Company.objects.select_for_update(of=("self",), no_key=True).get(pk=company.pk)
        diff = {field: [getattr(locked, field), value] for field, value in changes.items() if getattr(locked, field) != value}
        if diff:
            for field, (_old, new) in diff.items():
                setattr(locked, field, new)
            # Only the changed fields are validated: an old record's other values stay as they are.
            locked.full_clean(exclude=[f.name for f in Company._meta.fields if f.name not in diff], validate_unique=False)
            locked.save(update_fields=list(diff))
            audit_record(obj=locked, action=COMPANY_UPDATE_DETAILS, actor=actor, company=locked, reason=reason,
                         data={"changes": diff})
    company.refresh_from_db()
    return company
