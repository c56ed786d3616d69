"""Angka Pengenal Importir (API) under Permendag 27/M-DAG/PER/5/2012 ("P27").

A package by sub-domain (issue 18), re-exported here so ``api_registry.models.X`` keeps
working: ``registry`` (HS sections, issuers, sanction reasons, importer profiles),
``applications`` (applications and their documents) and ``apis`` (the API, its versions,
changes, Produsen Importir designations, quarterly reports). Each status field's allowed moves
are a ``Machine`` declared next to its model; every change goes through
``api_registry.services``. The regions live in the ``reference`` app.
"""

from api_registry.models.apis import (  # noqa: F401
    API_MACHINE,
    CHANGE_MACHINE,
    DESIGNATION_MACHINE,
    Api,
    ApiChangeRequest,
    ApiNumberCounter,
    ApiSource,
    ApiStatus,
    ApiVersion,
    ChangeStatus,
    DesignationStatus,
    ProdusenImportir,
    QuarterlyReport,
)
from api_registry.models.applications import (  # noqa: F401
    APPLICATION_MACHINE,
    REQUIRED_DOCUMENTS,
    ApiApplication,
    ApiKind,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
)
from api_registry.models.registry import (  # noqa: F401
    SANCTION_NOTICE_COPIES,
    ApiSanctionReason,
    HsSection,
    ImporterProfile,
    Issuer,
    IssuerKind,
    IssuerMembership,
    NoticeCopy,
    SanctionKind,
)
