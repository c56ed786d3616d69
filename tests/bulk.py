"""Many rows fast, for PERF-02 (tests at 10 and 200 rows, benchmarks at 100 and 100,000):
copy real objects, made once through the services, with ``bulk_create``. Unique text
fields get a suffix; children (lines, versions, documents) are copied under each copy."""

from __future__ import annotations

import itertools
from typing import Callable

from django.db import models


_SUFFIX = itertools.count(1)


def _values(obj: models.Model, i: int) -> dict:
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if field.unique and isinstance(value, str) and not field.is_relation:
            suffix = f"~{next(_SUFFIX)}"
            value = value[: (field.max_length or 255) - len(suffix)] + suffix
        values[field.attname] = value
    return values


def clone(obj: models.Model, n: int, *, overrides: Callable[[int], dict] | None = None,
          children: tuple[str, ...] = (), batch_size: int = 5000) -> list[models.Model]:
    """``n`` copies of ``obj`` (and of its ``children``, reverse relation names, under each
    copy), in one INSERT per batch. ``overrides(i)`` sets fields of the i-th copy."""
    model = type(obj)
    rows = [model(**{**_values(obj, i), **(overrides(i) if overrides else {})}) for i in range(n)]
    copies = model.objects.bulk_create(rows, batch_size=batch_size)
    for name in children:
        relation = model._meta.get_field(name)
        fk = relation.field.attname
        kids = list(getattr(obj, name).all())
        kid_rows = [
            type(kid)(**{**_values(kid, i * len(kids) + k), fk: copy.pk})
            for i, copy in enumerate(copies) for k, kid in enumerate(kids)
        ]
        if kid_rows:
            type(kids[0]).objects.bulk_create(kid_rows, batch_size=batch_size)
    return copies


def clone_sugar_permits(application, n: int) -> None:
    """``n`` more approved sugar applications, each with its PI (SugarPermit + permits.Permit
    with its current version) and lines, copied from ``application``."""
    from django.db.models import OuterRef, Subquery

    from permits.models import Permit, PermitVersion

    sugar_permit = application.sugar_permit
    applications = clone(application, n, children=("lines",))
    permits = clone(sugar_permit.permit, n, overrides=lambda i: {"current_version_id": None}, children=("versions",))
    Permit.objects.filter(pk__in=[p.pk for p in permits]).update(
        current_version=Subquery(PermitVersion.objects.filter(permit=OuterRef("pk")).order_by("-version_no").values("pk")[:1])
    )
    clone(sugar_permit, n, overrides=lambda i: {"application_id": applications[i].pk, "permit_id": permits[i].pk}, children=("lines",))
