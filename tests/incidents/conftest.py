"""Fixtures of the incident tests: the matrix world (tests/web/world.py: SME A in Sweden with its owner and
member, SME B in Latvia, an advisor with A's consent, the coordinator of programme P; A has one incident, a
phishing email of minor impact and no cost), and helpers to post the incident form."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from smecyber.accounts.models import Company, User
from smecyber.assessments.models import Assessment
from tests.web import fixtures

world = fixtures.world


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def client_for(user: User | None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def local_input(when: datetime) -> str:
    """A datetime as a datetime-local input sends it, in the active time zone."""
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides: Any) -> dict[str, Any]:
    """A valid incident form submission (an SME in Sweden), with ``overrides``."""
    occurred = timezone.now() - timedelta(days=1)
    data: dict[str, Any] = {
        "kind": "invoice_fraud", "title": "Fake bank details from 'our supplier'", "occurred_at": local_input(occurred),
        "detected_at": "", "affected": ["email", "payment"], "impact": "significant", "cost_band": "1k_10k",
        "reported": "yes", "reported_to": ["police"], "reported_other": "", "notes": "Paid once; bank informed.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit_assessment(company: Company, **profile: Any) -> Assessment:
    """A submitted self-assessment with ``profile`` (the NIS2 estimate reads the latest one)."""
    now = timezone.now()
    return Assessment.objects.create(company=company, questionnaire_version="test", status=Assessment.Status.SUBMITTED,
                                     started_at=now - timedelta(hours=1), submitted_at=now,
                                     profile={"country": company.country, **profile})


IN_SCOPE_PROFILE = {"size_band": "medium", "sector": "D", "nis2_sector": "energy.electricity", "employees": 120,
                    "turnover_meur": 20.0}
