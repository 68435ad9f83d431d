"""What the API returns and accepts (pydantic, via ninja's Schema). Field descriptions end up in the OpenAPI."""

# No `from __future__ import annotations` here: ninja and pydantic read these annotations at runtime.
import uuid
from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from smecyber.accounts.models import Company
from smecyber.accounts.permissions import can_act_for_company, company_access
from smecyber.assets.models import VERIFICATION_PATH, Domain
from smecyber.scans.aggregates import Cell, Share, batch_aggregates, batch_progress
from smecyber.scans.models import Batch, Scan

Language = Literal["en", "sv", "lv", "lt"]


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in words a person can act on")


class CompanyOut(Schema):
    id: uuid.UUID
    name: str
    country: str = Field(description="ISO 3166 code")
    sector: str = Field(description="NACE section letter, empty if not given")
    size_band: str
    builds_software: bool
    programme_id: uuid.UUID
    programme_name: str
    shared_with_programme: bool = Field(description="The SME lets its programme's coordinators see its results")
    access: str = Field(description="Your access to this SME: owner, member, advisor or coordinator")

    @staticmethod
    def resolve_programme_name(obj: Company) -> str:
        return obj.programme.name

    @staticmethod
    def resolve_shared_with_programme(obj: Company) -> bool:
        return obj.shared_with_programme_at is not None

    @staticmethod
    def resolve_access(obj: Company, context: dict[str, Any]) -> str:
        return company_access(context["request"].auth, obj).value


class VerificationOut(Schema):
    txt_record: str = Field(description="Publish this as a DNS TXT record on the domain itself …")
    file_path: str = Field(description="… or serve the token as the whole body of this path over HTTPS")
    file_body: str


class DomainOut(Schema):
    id: uuid.UUID
    company_id: uuid.UUID
    name: str = Field(description="The domain as scanned (A-label, lower case)")
    display_name: str = Field(description="The domain as it was typed (may be Unicode)")
    created_at: datetime
    verified: bool
    verified_at: datetime | None
    verified_method: str = Field(description="dns or file; empty while not verified")
    schedule: str = Field(description="weekly, monthly or off")
    next_scan_at: datetime | None
    verification: VerificationOut | None = Field(
        description="How to prove ownership; only shown to the SME's own people")

    @staticmethod
    def resolve_verification(obj: Domain, context: dict[str, Any]) -> dict[str, str] | None:
        if not can_act_for_company(context["request"].auth, obj.company):
            return None
        return {"txt_record": obj.txt_record, "file_path": VERIFICATION_PATH, "file_body": obj.verification_token}


class DomainIn(Schema):
    name: str = Field(min_length=1, max_length=253, description="A domain name, e.g. example.com")


class VerificationResultOut(Schema):
    ok: bool
    method: str | None = Field(description="dns or file when verified")
    detail: str = Field(description="What was found, or what to fix")
    domain: DomainOut


class ScanOut(Schema):
    id: uuid.UUID
    domain_id: uuid.UUID
    domain: str
    status: str = Field(description="queued, running, done or failed")
    trigger: str
    depth: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: int = Field(description="Percent of checks done (100 when done)")
    checks_done: int
    checks_total: int
    error: str = Field(description="Why the scan failed, empty otherwise")
    grades: dict[str, Any] = Field(description="Per score group: score, letter and what cost points")
    facts: dict[str, Any] = Field(description="Summary facts: https, hsts, dmarc_policy, spf, dnssec, …")
    duration_s: float | None

    @staticmethod
    def resolve_domain(obj: Scan) -> str:
        return obj.domain.name

    @staticmethod
    def resolve_progress(obj: Scan) -> int:
        return obj.progress_percent


class ReferenceOut(Schema):
    title: str
    url: str


class FindingOut(Schema):
    check_id: str
    key: str = Field(description="Catalog key of the finding")
    status: str = Field(description="pass, info, warn, fail or error")
    severity: str
    subject: str
    evidence: dict[str, Any] = Field(description="Exactly what was read, so it can be verified")
    points: int = Field(description="What it cost (negative) or earned in its score group")
    score_group: str
    lang: str = Field(description="Language of title, why and how")
    title: str
    why: str
    how: str
    effort: str
    references: list[ReferenceOut]


class ProgrammeOut(Schema):
    id: uuid.UUID
    name: str
    description: str
    organisation: str
    companies: int = Field(description="Number of SMEs in the programme")


class BatchIn(Schema):
    name: str = Field(min_length=1, max_length=200, description="A name for this sweep")
    domains: list[str] = Field(min_length=1, max_length=10_000,
                               description="Domain names to sweep (duplicates are folded; at most 10,000)")


class ProgressOut(Schema):
    total: int
    done: int
    failed: int
    waiting: int = Field(description="Queued or running")
    percent: int = Field(description="Percent finished (done or failed)")


class CountOut(Schema):
    label: str = Field(description="A grade letter or a DMARC policy")
    count: int | None = Field(description="Null when suppressed")
    suppressed: bool = Field(description="True when fewer than the minimum group size (but more than none): "
                                         "a group that small points at named companies")


class ShareOut(Schema):
    yes: int | None = Field(description="How many have it; null when suppressed")
    yes_suppressed: bool
    total: int = Field(description="How many were checked for it")
    percent: int | None = Field(description="Null over fewer domains than the minimum group size")


class BatchAggregatesOut(Schema):
    minimum: int = Field(description="The minimum group size below which counts are suppressed")
    graded: int = Field(description="Finished domains with an overall grade")
    letters: list[CountOut] = Field(description="Overall grades, best first")
    dmarc: list[CountOut] = Field(description="DMARC policies")
    https: ShareOut
    hsts: ShareOut


def _count(label: str, cell: Cell) -> dict[str, Any]:
    return {"label": label, "count": None if cell.suppressed else cell.count, "suppressed": cell.suppressed}


def _share(share: Share) -> dict[str, Any]:
    return {"yes": None if share.yes.suppressed else share.yes.count, "yes_suppressed": share.yes.suppressed,
            "total": share.total, "percent": share.percent}


class BatchOut(Schema):
    """A sweep as a coordinator sees it in the UI: progress and suppressed counts, never one domain's result."""

    id: uuid.UUID
    programme_id: uuid.UUID
    name: str
    created_at: datetime
    finished_at: datetime | None
    progress: ProgressOut
    aggregates: BatchAggregatesOut

    @staticmethod
    def resolve_progress(obj: Batch) -> dict[str, int]:
        return batch_progress(obj)

    @staticmethod
    def resolve_aggregates(obj: Batch) -> dict[str, Any]:
        raw = batch_aggregates(obj)
        return {"minimum": raw["minimum"], "graded": raw["graded"],
                "letters": [_count(letter, c) for letter, c in raw["letters"]],
                "dmarc": [_count(policy, c) for policy, c in raw["dmarc"]],
                "https": _share(raw["https"]), "hsts": _share(raw["hsts"])}
