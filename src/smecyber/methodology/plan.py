"""The one action plan: weak answers and failed or warning check findings, merged and ranked.

- A recommendation is an item when an applicable answer below 1 (not "not applicable") names it, or when a
  fail/warn finding matches one of its finding-key prefixes ("mail.dmarc."): a missing DMARC record and the
  answer "we do nothing against spoofing" are ONE item with both sources.
- A fail/warn finding no recommendation covers is an item of its own, ``finding:<key>``; findings whose
  English catalog titles are equal are one item (two checks that see the same problem), keyed by the first
  of those catalog keys in sorted order so the key stays stable whichever of them a scan reports.
- gap = max(1 - answer value, 1.0 for a failed finding, 0.5 for a warning)
- likelihood = low 1 / medium 2 / high 3 (recommendation), +1 per ``raise_likelihood`` condition that holds
  for the SME, at most 3; a finding-only item is medium (2)
- priority = SEVERITY_WEIGHT[severity] * likelihood * gap / EFFORT_COST[effort]  (report/priorities.py)
- severity = the highest of the recommendation's and its matched findings' severities
Sorted by priority (highest first), then severity (highest first), then key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from smecyber.catalog import load_catalog
from smecyber.catalog.findings import Reference
from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.report.priorities import EFFORT_COST, SEVERITY_WEIGHT

from .applicability import applicable_questions, applies
from .maturity import answer_value
from .profile import Profile

LIKELIHOOD = {"low": 1, "medium": 2, "high": 3}
MAX_LIKELIHOOD = 3
FINDING_LIKELIHOOD = LIKELIHOOD["medium"]
STATUS_GAP = {"fail": 1.0, "warn": 0.5}  # other statuses (pass, info, error) ask for no action
SEVERITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
FINDING_PREFIX = "finding:"


@dataclass(frozen=True, slots=True)
class PlanFinding:
    key: str  # findings catalog key
    status: str  # pass | info | warn | fail | error
    severity: str
    domain: str


@dataclass(frozen=True, slots=True)
class PlanItem:
    key: str  # recommendation id, or "finding:<finding key>"
    kind: str  # recommendation | finding
    severity: str
    likelihood: int  # 1..3
    effort: str  # low | medium | high
    owner: str  # sme | it_provider | web_host
    gap: float  # 0..1: how far from done
    priority: float
    questions: tuple[tuple[str, str], ...]  # (question id, answer) that produced it, questionnaire order
    findings: tuple[tuple[str, str, str], ...]  # (finding key, status, domain) that produced it
    checked_by_scans: bool  # a check covers it: a later scan can confirm or reopen it


def finding_owner(key: str) -> str:
    """Who usually fixes what a check found: the web host for web and TLS, the IT provider for mail and DNS."""
    area = key.split(".", 1)[0]
    if area in ("web", "tls"):
        return "web_host"
    if area in ("mail", "dns"):
        return "it_provider"
    return "sme"


@cache
def _first_key_by_title() -> dict[str, str]:
    catalog = load_catalog()
    first: dict[str, str] = {}
    keys: list[str] = catalog.keys()  # sorted (a Catalog is no dict: it cannot be iterated)
    for key in keys:
        first.setdefault(catalog.entry(key, "en").title, key)
    return first


def canonical_finding_key(key: str) -> str:
    """The catalog key that stands for every key with the same English title (``key`` itself if unknown)."""
    catalog = load_catalog()
    if key not in catalog:
        return key
    return _first_key_by_title().get(catalog.entry(key, "en").title, key)


def recommendation_for_finding(q: Questionnaire, key: str) -> str | None:
    """The recommendation whose finding prefix matches ``key`` (the longest prefix, should two ever match)."""
    best: tuple[int, str] | None = None
    for rec in q.recommendations.values():
        for prefix in rec.findings:
            if key.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), rec.id)
    return best[1] if best else None


def merge_key_for_finding(q: Questionnaire, key: str) -> str:
    """The plan item key a finding with this catalog key lands in (whatever its status)."""
    rec = recommendation_for_finding(q, key)
    return rec if rec is not None else FINDING_PREFIX + canonical_finding_key(key)


def likelihood_for(q: Questionnaire, rec_id: str, profile: Profile) -> int:
    rec = q.recommendations[rec_id]
    raised = LIKELIHOOD.get(rec.likelihood, 2) + sum(1 for cond in rec.raise_likelihood if applies(cond, profile))
    return min(MAX_LIKELIHOOD, raised)


def priority_of(severity: str, likelihood: int, gap: float, effort: str) -> float:
    return round(SEVERITY_WEIGHT.get(severity, 1) * likelihood * gap / EFFORT_COST.get(effort, 2), 4)


def _max_severity(severities: Iterable[str]) -> str:
    return max(severities, key=lambda s: SEVERITY_RANK.get(s, 0), default="medium")


@dataclass
class _Sources:
    gap: float = 0.0
    questions: list[tuple[str, str]] = field(default_factory=list)
    findings: set[tuple[str, str, str]] = field(default_factory=set)
    severities: list[str] = field(default_factory=list)


def _catalog_effort(key: str) -> str:
    catalog = load_catalog()
    return catalog.entry(key, "en").effort if key in catalog else "medium"


def build_plan(q: Questionnaire, profile: Profile, answers: Mapping[str, str], findings: Iterable[PlanFinding],
               lang: str = "en") -> list[PlanItem]:
    """The plan's items, do-first first. ``lang`` does not change the plan: merging uses English titles."""
    sources: dict[str, _Sources] = {}
    for question in applicable_questions(q, profile):
        answer = answers.get(question.id)
        valid, value = answer_value(q, question, answer)
        if not valid or value is None or value >= 1 or answer is None:
            continue
        for rec_id in question.recommendations:
            if rec_id in q.recommendations:
                src = sources.setdefault(rec_id, _Sources())
                src.questions.append((question.id, answer))
                src.gap = max(src.gap, 1.0 - value)
    for finding in findings:
        gap = STATUS_GAP.get(finding.status)
        if gap is None:
            continue
        src = sources.setdefault(merge_key_for_finding(q, finding.key), _Sources())
        src.findings.add((finding.key, finding.status, finding.domain))
        src.severities.append(finding.severity)
        src.gap = max(src.gap, gap)
    items = [_item(q, profile, key, src) for key, src in sources.items()]
    items.sort(key=lambda i: (-i.priority, -SEVERITY_RANK.get(i.severity, 0), i.key))
    return items


def _item(q: Questionnaire, profile: Profile, key: str, src: _Sources) -> PlanItem:
    findings = tuple(sorted(src.findings))
    if key.startswith(FINDING_PREFIX):
        finding_key = key.removeprefix(FINDING_PREFIX)
        severity = _max_severity(src.severities)
        effort = _catalog_effort(finding_key)
        likelihood = FINDING_LIKELIHOOD
        return PlanItem(key, "finding", severity, likelihood, effort, finding_owner(finding_key), src.gap,
                        priority_of(severity, likelihood, src.gap, effort), (), findings, True)
    rec = q.recommendations[key]
    severity = _max_severity([rec.severity, *src.severities])
    likelihood = likelihood_for(q, key, profile)
    return PlanItem(key, "recommendation", severity, likelihood, rec.effort, rec.owner, src.gap,
                    priority_of(severity, likelihood, src.gap, rec.effort), tuple(src.questions), findings,
                    bool(rec.findings))


def item_text(q: Questionnaire, item: PlanItem, lang: str) -> tuple[str, str, str, tuple[Reference, ...]]:
    """(title, why, how, references) of an item in ``lang``, from its recommendation or the findings catalog."""
    if item.kind == "recommendation" and item.key in q.recommendations:
        rec = q.recommendations[item.key]
        text = rec.text(lang)
        return text.title, text.why, text.how, rec.references
    key = item.key.removeprefix(FINDING_PREFIX)
    catalog = load_catalog()
    if key not in catalog:
        return key, "", "", ()
    entry = catalog.entry(key, lang)
    return entry.title, entry.why, entry.how, entry.references
