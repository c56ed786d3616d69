"""REST endpoints of the API registry (api.md, "Importer identification number").

Thin views: input shape in nested serializers, every rule in ``api_registry.services``.
Objects are looked up in the caller's visible set, so another company's object answers 404.
A package by sub-domain (issue 18): ``applications`` and ``records`` (the API itself and what
hangs on it), re-exported here for ``api_registry.api_urls``.
"""

from api_registry.apis.applications import (  # noqa: F401
    ApplicationApproveApi,
    ApplicationDetailApi,
    ApplicationDocumentApi,
    ApplicationForwardApi,
    ApplicationInspectionApi,
    ApplicationListCreateApi,
    ApplicationRejectApi,
    ApplicationSubmitApi,
)
from api_registry.apis.common import ApiOutput, ApplicationOutput  # noqa: F401
from api_registry.apis.records import (  # noqa: F401
    ApiChangeRequestApi,
    ApiDetailApi,
    ApiFreezeApi,
    ApiListApi,
    ApiReactivateApi,
    ApiRecordNibApi,
    ApiReregisterApi,
    ApiRevokeApi,
    ChangeApproveApi,
    ChangeRejectApi,
    DesignationApplyApi,
    DesignationDecideApi,
    IssuerRecapApi,
    QuarterlyReportApi,
    RegionListApi,
)
