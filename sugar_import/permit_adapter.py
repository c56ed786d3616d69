"""Deprecated: the permits functions sugar_import used to reach through here now live in
``permits.services`` (issue 18). Kept as a re-export until the merge removes it."""

from permits.services import (  # noqa: F401
    permit_amend,
    permit_issue,
    permit_revoke,
    permits_bulk_transition,
)
from permits.services.insw import insw_events_add as _insw_events_add  # noqa: F401
from permits.services.insw import pdf_url_parts as _pdf_url_parts  # noqa: F401
