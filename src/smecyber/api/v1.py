"""The API, version 1, mounted at /api/v1/. OpenAPI schema at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from . import assessments, companies, programmes, scans, surveys
from .auth import session_auth, token_auth

DESCRIPTION = """\
The platform's data for scripts and integrations, with exactly the permissions of the web pages.

Authenticate with a personal token (create one under *Your account*): `Authorization: Bearer smc_...`.
Objects you may not see answer 404; requests without valid credentials answer 401. Lists are pages:
`?limit=` (at most 200) and `?offset=`, answered as `{"items": [...], "count": n}`.
"""


class SmecyberAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # the URL name (e.g. "scan_detail"), stable and readable in generated clients
        return operation.url_name or super().get_openapi_operation_id(operation)


api = SmecyberAPI(
    title="smecyber API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[token_auth, session_auth],
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive page would load its code from a CDN, which the CSP ('self') forbids
)
api.add_router("", companies.router)
api.add_router("", scans.router)
api.add_router("", programmes.router)
api.add_router("", assessments.router)
api.add_router("", surveys.router)
