"""Recording incidents: create, update and delete, every value checked against the incident catalog, and the
guidance an incident's page gives (whom to report to, the NIS2 and GDPR clocks).

Checks (``IncidentInvalid`` carries every problem at once, by field, as messages for the user):
- kind, impact and cost band are catalog ids; affected is a list of catalog ids;
- reported_to holds ids of the company's country's authorities, "police" and "other" ("other" needs a name);
  reported = no with anyone ticked, or yes with nobody ticked, is a contradiction the user resolves;
- occurred_at is not in the future; detected_at (optional) is neither in the future nor before occurred_at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smecyber.accounts.models import Company, User
from smecyber.catalog.incident_catalog import CountryAuthorities, IncidentCatalog, load_incident_catalog
from smecyber.methodology.nis2 import Nis2Result, assess_nis2
from smecyber.methodology.profile import Profile

from . import deadlines
from .models import Incident

POLICE, OTHER = "police", "other"
TITLE_MAX, OTHER_MAX, NOTES_MAX = 200, 200, 10000
EARLIEST_YEAR = 1970  # older dates are typing mistakes (and year 1 would not survive the move to UTC)
IN_SCOPE = ("important", "essential")


class IncidentError(ValueError):
    """Input the user can correct; ``str(error)`` is a message for them."""


class IncidentInvalid(IncidentError):
    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {k: list(v) for k, v in errors.items()}
        super().__init__(" ".join(m for msgs in self.errors.values() for m in msgs))


@dataclass
class IncidentData:
    """What a person enters about an incident (from the form, or any other caller)."""

    kind: str
    title: str
    occurred_at: datetime
    impact: str
    cost_band: str
    detected_at: datetime | None = None
    affected: list[str] = field(default_factory=list)
    reported: bool = False
    reported_to: list[str] = field(default_factory=list)
    reported_other: str = ""
    notes: str = ""


def catalog() -> IncidentCatalog:
    return load_incident_catalog()


def reporting_options(company: Company, cat: IncidentCatalog | None = None) -> list[tuple[str, str]]:
    """Whom the company may say it reported to: its country's authorities, the police, someone else."""
    cat = cat or catalog()
    guide = cat.authorities_for(company.country)
    options = [(a.id, a.name) for a in guide.authorities] if guide else []
    police = guide.police.name if guide and guide.police else _("The police")
    return [*options, (POLICE, police), (OTHER, _("Someone else"))]


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _text_problem(value: object, limit: int, required: bool) -> str | None:
    if not isinstance(value, str):
        return _("Enter text.")
    if "\x00" in value:
        return _("Remove the null character from this text.")
    if required and not value.strip():
        return _("This field is required.")
    if len(value) > limit:
        return _("Keep this to %(limit)d characters at most.") % {"limit": limit}
    return None


def _time_problem(value: object, now: datetime) -> str | None:
    if not isinstance(value, datetime) or timezone.is_naive(value):
        return _("Enter a date and time.")
    if value.year < EARLIEST_YEAR:
        return _("Enter a date after %(year)d.") % {"year": EARLIEST_YEAR}
    if value.year > now.year + 1 or value > now:  # the year first: far-off years do not survive UTC
        return _("This time is in the future. Enter when it actually happened.")
    return None


def validate(company: Company, data: IncidentData, *, now: datetime | None = None,
             cat: IncidentCatalog | None = None) -> IncidentData:
    """``data`` cleaned (text stripped, lists without duplicates), or ``IncidentInvalid`` with every problem."""
    now = now or timezone.now()
    cat = cat or catalog()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str | None) -> None:
        if message:
            errors.setdefault(name, []).append(message)

    for name, group, message in (("kind", "kinds", _("Choose the type of incident.")),
                                 ("impact", "impacts", _("Choose the impact.")),
                                 ("cost_band", "cost_bands", _("Choose what it cost."))):
        if getattr(data, name) not in cat.group(group):
            add(name, message)
    add("title", _text_problem(data.title, TITLE_MAX, required=True))
    add("notes", _text_problem(data.notes, NOTES_MAX, required=False))
    add("reported_other", _text_problem(data.reported_other, OTHER_MAX, required=False))
    add("occurred_at", _time_problem(data.occurred_at, now))
    if data.detected_at is not None:
        problem = _time_problem(data.detected_at, now)
        add("detected_at", problem)
        if problem is None and "occurred_at" not in errors and data.detected_at < data.occurred_at:
            add("detected_at", _("You cannot have noticed it before it happened. Check both times."))

    affected = _unique(data.affected) if isinstance(data.affected, list) else None
    if affected is None or any(a not in cat.affected for a in affected):
        add("affected", _("Choose from the listed things that can be affected."))
    reported_to = _unique(data.reported_to) if isinstance(data.reported_to, list) else None
    allowed = {option for option, _label in reporting_options(company, cat)}
    if reported_to is None or any(r not in allowed for r in reported_to):
        add("reported_to", _("Choose from the listed authorities of your country, the police or someone else."))
    elif not isinstance(data.reported, bool):
        add("reported", _("Say whether you reported the incident."))
    elif data.reported and not reported_to:
        add("reported_to", _("Tick whom you reported the incident to."))
    elif not data.reported and reported_to:
        add("reported", _("You ticked whom you reported it to. Choose yes, or untick them."))
    other = data.reported_other.strip() if isinstance(data.reported_other, str) else ""
    if reported_to and OTHER in reported_to and not other and "reported_other" not in errors:
        add("reported_other", _("Say whom else you reported it to."))
    if errors:
        raise IncidentInvalid(errors)
    return IncidentData(
        kind=data.kind, title=data.title.strip(), occurred_at=data.occurred_at, detected_at=data.detected_at,
        affected=affected or [], impact=data.impact, cost_band=data.cost_band, reported=data.reported,
        reported_to=reported_to or [], reported_other=other if OTHER in (reported_to or []) else "",
        notes=data.notes.strip())


def _apply(incident: Incident, data: IncidentData) -> None:
    for name in ("kind", "title", "occurred_at", "detected_at", "affected", "impact", "cost_band", "reported",
                 "reported_to", "reported_other", "notes"):
        setattr(incident, name, getattr(data, name))


def create_incident(company: Company, user: User | None, data: IncidentData, *,
                    now: datetime | None = None) -> Incident:
    clean = validate(company, data, now=now)
    incident = Incident(company=company, created_by=user if user is not None and user.is_authenticated else None)
    _apply(incident, clean)
    incident.created_at = incident.updated_at = now or timezone.now()
    incident.save()
    return incident


def update_incident(incident: Incident, data: IncidentData, *, now: datetime | None = None) -> Incident:
    clean = validate(incident.company, data, now=now)
    with transaction.atomic():
        _apply(incident, clean)
        incident.updated_at = now or timezone.now()
        incident.save()
    return incident


def delete_incident(incident: Incident) -> None:
    incident.delete()


def data_of(incident: Incident) -> IncidentData:
    return IncidentData(kind=incident.kind, title=incident.title, occurred_at=incident.occurred_at,
                        detected_at=incident.detected_at, affected=list(incident.affected or []),
                        impact=incident.impact, cost_band=incident.cost_band, reported=incident.reported,
                        reported_to=list(incident.reported_to or []), reported_other=incident.reported_other,
                        notes=incident.notes)


# --- guidance ------------------------------------------------------------------------------------------------

def nis2_result(company: Company) -> tuple[Nis2Result, bool]:
    """NIS2 applicability from the latest submitted self-assessment's profile, else from the company record
    (which has no NIS2 sector, so it never says "in scope"); and whether a self-assessment was the basis."""
    from smecyber.assessments.services import latest_submitted, questionnaire

    last = latest_submitted(company)
    if last is not None:
        profile = Profile.from_dict(last.profile or {})
    else:
        profile = Profile(country=company.country, sector=company.sector, size_band=company.size_band,
                          builds_software=company.builds_software)
    return assess_nis2(profile, questionnaire()), last is not None


@dataclass(frozen=True)
class Guidance:
    authorities: CountryAuthorities | None  # None: no data for the company's country
    nis2: Nis2Result
    nis2_from_assessment: bool
    in_nis2_scope: bool
    aware_at: datetime
    nis2_clock: tuple[deadlines.Deadline, ...]  # empty when out of scope
    personal_data: bool
    gdpr: deadlines.Deadline | None


def guidance(incident: Incident, tz: tzinfo, cat: IncidentCatalog | None = None) -> Guidance:
    cat = cat or catalog()
    company = incident.company
    nis2, from_assessment = nis2_result(company)
    in_scope = nis2.scope in IN_SCOPE
    aware = deadlines.aware_at(incident.occurred_at, incident.detected_at)
    personal = cat.personal_data_affected(list(incident.affected or []))
    return Guidance(
        authorities=cat.authorities_for(company.country), nis2=nis2, nis2_from_assessment=from_assessment,
        in_nis2_scope=in_scope, aware_at=aware, nis2_clock=deadlines.nis2_clock(aware, tz) if in_scope else (),
        personal_data=personal, gdpr=deadlines.gdpr_deadline(aware) if personal else None)
