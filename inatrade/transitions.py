"""One transition mechanism for every stateful model (issue 18).

A ``Machine`` is the declared table of allowed moves of one status field, with the name its
audit rows carry. Every transition of the portal goes through one:

- ``machine.target(verb, current)`` checks a move and returns the target state, or raises
  ``InvalidTransition`` (HTTP 409, code ``invalid_transition``): one error shape for every
  refused move, whichever app it is in;
- ``machine.apply(obj, verb, actor=...)`` moves one row the caller has locked
  (``machine.lock``), saves it with ``update_fields`` and writes its audit row
  ``<object>.<verb>`` in the same transaction;
- ``machine.apply_bulk(ids, verb, ...)`` moves a set of rows with one compare-and-set
  ``UPDATE ... RETURNING`` per source state and one batch of audit rows
  (``audit_record_many``), for the scheduled jobs (PERF-03). A row that another transaction
  moved first no longer matches its source state and is skipped, so a job and a button racing
  on one row change it once.

Audit action names are ``<object>.<verb>`` (``sugar_application.approve``, ``api.freeze``,
``user.revoke_access``). Each machine registers the labels of its actions in
``inatrade.audit_labels``; rows written before the rename keep their old names, which the
labels module still knows (history is never rewritten).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any, Iterable, Mapping

from django.db import models, transaction
from django.utils.translation import gettext as _

from inatrade.errors import InvalidTransition

Moves = Mapping[str, tuple[Iterable[str], str]]

MACHINES: dict[str, "Machine"] = {}


@dataclass(frozen=True)
class Machine:
    """The allowed moves of ``model.<field>``: ``moves[verb] = (source states, target state)``.

    ``name`` is the object part of the audit action (``<name>.<verb>``); ``labels`` gives each
    verb its words for the timelines (AUD-02), e.g. ``{"approve": _("Disetujui")}``."""

    name: str
    model: type[models.Model]
    moves: Moves
    field: str = "status"
    labels: Mapping[str, Any] = dataclass_field(default_factory=dict)

    def __post_init__(self):
        from inatrade import audit_labels

        known = MACHINES.get(self.name)
        if known is not None and known.model is not self.model:
            raise ValueError(f"two machines are named {self.name!r}")
        MACHINES[self.name] = self
        audit_labels.register({self.action(verb): label for verb, label in self.labels.items()})

    # ------------------------------------------------------------------ the table
    def action(self, verb: str) -> str:
        """The audit action of ``verb``: ``<object>.<verb>``."""
        return f"{self.name}.{verb}"

    def allows(self, verb: str, current: str) -> bool:
        return current in self.moves[verb][0]

    def verbs_from(self, current: str) -> list[str]:
        """The verbs allowed from ``current`` (what a page may offer as buttons)."""
        return [verb for verb, (sources, _target) in self.moves.items() if current in sources]

    def target(self, verb: str, current: str, *, obj: models.Model | None = None) -> str:
        """The state ``verb`` leads to from ``current``; ``InvalidTransition`` (409) when the
        table does not allow it."""
        sources, target = self.moves[verb]
        if current not in sources:
            raise InvalidTransition(
                _("%(object)s berstatus \"%(status)s\"; tindakan ini tidak dapat dilakukan.")
                % {"object": str(obj) if obj is not None else self.model._meta.verbose_name,
                   "status": self._display(current)},
                fields={"status": [current]},
            )
        return target

    def _display(self, state: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(state, state))

    # ------------------------------------------------------------------ one row
    def lock(self, pk, *, queryset: models.QuerySet | None = None) -> models.Model:
        """The row ``pk``, locked for this transaction (no-key lock on this table only, the
        lock order of docs/decisions/0010)."""
        queryset = self.model._default_manager.all() if queryset is None else queryset
        return queryset.select_for_update(of=("self",), no_key=True).get(pk=pk)

    def apply(
        self,
        obj: models.Model,
        verb: str,
        *,
        actor=None,
        reason: str = "",
        data: dict | None = None,
        company=None,
        capacity: str = "",
        update_fields: Iterable[str] = (),
        target: str | None = None,
    ) -> tuple[str, str]:
        """Move the locked ``obj`` by ``verb``: check the table, set the field, save it (with
        ``update_fields``, for what the caller changed beside it) and write the audit row.
        ``target`` overrides the table's target where the rule picks one of two (a permit
        frozen before its first signature goes back to awaiting it). Returns (from, to)."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Machine.apply must run inside the transaction that locked the row")
        from inatrade.audit import audit_record

        current = getattr(obj, self.field)
        to_state = self.target(verb, current, obj=obj)
        if target is not None:
            to_state = target
        setattr(obj, self.field, to_state)
        obj.save(update_fields=list(dict.fromkeys([self.field, *update_fields])))
        audit_record(obj=obj, action=self.action(verb), actor=actor, from_state=current, to_state=to_state,
                     reason=str(reason or ""), data=data, company=company, capacity=capacity)
        return current, to_state

    # ------------------------------------------------------------------ many rows
    def apply_bulk(
        self,
        ids: Iterable[int],
        verb: str,
        *,
        actor=None,
        reason: str = "",
        data: dict | None = None,
        set_columns: Mapping[str, Any] | None = None,
        target_sql: tuple[str, list] | None = None,
        label_column: str = "id",
        company_column: str | None = None,
        extra_returning: Iterable[str] = (),
    ) -> list[dict]:
        """Move every row of ``ids`` that is in a source state of ``verb`` and write one audit
        row per changed row; return the changed rows as dicts (``id``, ``from_state``,
        ``to_state``, ``label``, ``company_id`` and the ``extra_returning`` columns), sorted by
        id. Runs in the caller's transaction (one is opened if there is none).

        Set-based: one ``UPDATE ... WHERE <field> = <source> AND id IN (...) RETURNING`` per
        source state, whatever the number of rows, and one INSERT of the audit rows.
        ``set_columns`` are further columns (db column name → Python value) set on every
        changed row; ``target_sql`` replaces the target by an SQL expression with its params
        (a ``CASE`` where the rule picks one of two states)."""
        from inatrade import bulksql
        from inatrade.audit import audit_record_many

        ids = sorted({int(pk) for pk in ids})
        if not ids:
            return []
        sources, target = self.moves[verb]
        meta = self.model._meta
        column = meta.get_field(self.field).column
        assignments, params = [f"{column} = {target_sql[0] if target_sql else '%s'}"], list(target_sql[1] if target_sql else [target])
        for name, value in (set_columns or {}).items():
            model_field = next(f for f in meta.concrete_fields if f.column == name)
            assignments.append(f"{name} = %s")
            params.append(bulksql.db_value(self.model, model_field.name, value))
        extra = list(extra_returning)
        returning = ["id", column, label_column, company_column or "NULL", *extra]
        changed: list[dict] = []
        with transaction.atomic():
            for source in sorted(sources):
                rows = bulksql.execute(
                    f"UPDATE {meta.db_table} SET {', '.join(assignments)} "
                    f"WHERE {column} = %s AND id IN ({bulksql.ids_select()}) RETURNING {', '.join(returning)}",
                    [*params, source, bulksql.json_param(ids)],
                )
                for pk, to_state, label, company_id, *rest in rows:
                    changed.append({"id": pk, "from_state": source, "to_state": to_state, "label": str(label),
                                    "company_id": company_id, **dict(zip(extra, rest))})
            changed.sort(key=lambda row: row["id"])
            audit_record_many(
                object_type=f"{meta.app_label}.{meta.model_name}", action=self.action(verb), actor=actor,
                reason=str(reason or ""), data=data,
                rows=[{"object_id": row["id"], "object_label": row["label"], "company_id": row["company_id"],
                       "from_state": row["from_state"], "to_state": row["to_state"]} for row in changed],
            )
        return changed

