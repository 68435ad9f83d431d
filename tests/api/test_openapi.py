"""The OpenAPI description: served, well-formed, complete."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from smecyber.api.access_rules import RULES
from tests.api.conftest import API

EXPECTED = {
    "/companies": {"get"}, "/companies/{company_id}": {"get"}, "/companies/{company_id}/domains": {"get", "post"},
    "/domains/{domain_id}": {"get"}, "/domains/{domain_id}/verify": {"post"},
    "/domains/{domain_id}/scans": {"get", "post"}, "/scans/{scan_id}": {"get"},
    "/scans/{scan_id}/findings": {"get"}, "/programmes": {"get"}, "/programmes/{programme_id}/batches": {"get", "post"},
    "/batches/{batch_id}": {"get"}, "/companies/{company_id}/assessment": {"get"},
    "/companies/{company_id}/action-plan": {"get"}, "/companies/{company_id}/action-plan/{item_id}": {"post"},
    "/programmes/{programme_id}/campaigns": {"get"}, "/campaigns/{campaign_id}/statistics": {"get"},
}

# paths that end in a name but answer one object
SINGLE_OBJECTS = {"/companies/{company_id}/assessment", "/campaigns/{campaign_id}/statistics"}


def schema() -> dict[str, Any]:
    response = Client(HTTP_HOST="127.0.0.1").get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def test_openapi_is_served_to_anyone_and_lists_every_operation() -> None:
    doc = schema()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "smecyber API"
    paths = {p.removeprefix(API): {m for m in ops if m in ("get", "post", "put", "patch", "delete")}
             for p, ops in doc["paths"].items()}
    assert paths == EXPECTED


def test_every_operation_is_documented_and_needs_authentication() -> None:
    doc = schema()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    ids = []
    for ops in doc["paths"].values():
        for op in ops.values():
            assert op["summary"], op
            assert {next(iter(s)) for s in op["security"]} == {"TokenAuth", "BrowserSessionAuth"}
            ids.append(op["operationId"])
    assert len(ids) == len(set(ids))
    assert set(ids) <= {name.removeprefix("api:") for name in RULES}  # operation ids are the URL names


def test_every_reference_resolves() -> None:
    doc = schema()
    for ref in refs(doc):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"], ref


def test_lists_are_paginated() -> None:
    doc = schema()
    for path, ops in doc["paths"].items():
        get = ops.get("get")
        single = path.removeprefix(API) in SINGLE_OBJECTS
        if get and not path.endswith("}") and not single:  # the list endpoints
            params = {p["name"] for p in get.get("parameters", [])}
            assert {"limit", "offset"} <= params, path


def test_no_interactive_docs_page_that_would_load_a_cdn() -> None:
    assert Client(HTTP_HOST="127.0.0.1").get(f"{API}/docs").status_code == 404
    assert reverse("api:openapi-json") == f"{API}/openapi.json"
