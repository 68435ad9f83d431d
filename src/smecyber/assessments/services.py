"""Filling in the self-assessment: start a draft, keep the profile and the answers, submit, and the figures the
pages need (progress, the peer group). The rules themselves (which questions apply, how answers score) are in
``smecyber.methodology``; this module only stores and counts.

Every function that changes a draft refuses a submitted assessment (``AssessmentClosed``): the history stays
as it was submitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smecyber.accounts.models import Company, User
from smecyber.catalog.languages import normalize_language
from smecyber.catalog.questionnaire_model import Area, Question, Questionnaire
from smecyber.methodology.profile import Profile

from . import plan_service
from .models import AreaAssignment, Assessment

# The profile fields a company record also keeps; the company's current values win when a draft starts.
COMPANY_PROFILE_FIELDS = ("country", "sector", "size_band", "builds_software")
PROFILE_STEP = "profile"
REVIEW_STEP = "review"


class AssessmentError(ValueError):
    """Input the user can correct; ``str(error)`` is a message for them."""


class AssessmentClosed(AssessmentError):
    def __init__(self) -> None:
        super().__init__(_("This self-assessment was submitted and can no longer be changed. Start a new one to "
                           "update your answers."))


class InvalidAnswer(AssessmentError):
    pass


class IncompleteAssessment(AssessmentError):
    """Submission refused: ``areas`` (ids, in questionnaire order) still have unanswered questions."""

    def __init__(self, areas: list[str], titles: list[str]) -> None:
        self.areas = areas
        super().__init__(_("Some questions are still unanswered, in: %(areas)s. Answer them, then submit.")
                         % {"areas": ", ".join(titles)})


def lang() -> str:
    """The active language as a catalog language code."""
    return normalize_language(translation.get_language())


def questionnaire() -> Questionnaire:
    """The questionnaire in use. Tests replace this function to run on a small questionnaire."""
    from smecyber.catalog.questionnaire import load_questionnaire

    return load_questionnaire()


def profile_of(assessment: Assessment) -> Profile:
    return Profile.from_dict(assessment.profile or {})


def answers_of(assessment: Assessment) -> dict[str, str]:
    return dict(assessment.answers.values_list("question", "value"))


def applicable_questions(assessment: Assessment, q: Questionnaire | None = None) -> list[Question]:
    from smecyber.methodology.applicability import applicable_questions as applicable

    return applicable(q or questionnaire(), profile_of(assessment))


def applicable_areas(assessment: Assessment, q: Questionnaire | None = None) -> list[Area]:
    from smecyber.methodology.applicability import applicable_areas as areas

    return areas(q or questionnaire(), profile_of(assessment))


# --- starting and finding drafts ------------------------------------------------------------------------------

def current_draft(company: Company) -> Assessment | None:
    return company.assessments.filter(status=Assessment.Status.DRAFT).first()


def latest_submitted(company: Company) -> Assessment | None:
    return (company.assessments.filter(status=Assessment.Status.SUBMITTED)
            .order_by("-submitted_at", "-started_at").first())


def initial_profile(company: Company) -> Profile:
    """The last submitted profile (everything the company record does not keep), updated with the company's
    current country, sector, size and software flag."""
    last = latest_submitted(company)
    data: dict[str, Any] = dict(last.profile) if last is not None else {}
    data.update({"country": company.country, "size_band": company.size_band,
                 "builds_software": company.builds_software})
    if company.sector:
        data["sector"] = company.sector
    return Profile.from_dict(data)


def start_assessment(company: Company, user: User | None) -> Assessment:
    """The company's draft: the existing one, or a new one with the profile pre-filled (answers start empty)."""
    draft = current_draft(company)
    if draft is not None:
        return draft
    profile = initial_profile(company)
    try:
        with transaction.atomic():  # the one-draft constraint decides a race between two people starting
            return Assessment.objects.create(
                company=company, questionnaire_version=questionnaire().version, profile=profile.to_dict(),
                started_by=user if user is not None and user.is_authenticated else None,
                last_step=PROFILE_STEP)
    except IntegrityError:
        draft = current_draft(company)
        if draft is None:
            raise
        return draft


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise AssessmentClosed


# --- profile and answers --------------------------------------------------------------------------------------

def save_profile(assessment: Assessment, cleaned: Mapping[str, Any]) -> Profile:
    """Store the profile (a form's cleaned data with Profile's field names). Answers to questions that no
    longer apply are kept (they count again if the profile changes back) but are no longer counted."""
    from smecyber.methodology.answers_file import profile_problems

    _require_draft(assessment)
    data = {**profile_of(assessment).to_dict(), **cleaned}
    problems = profile_problems(data, questionnaire())
    if problems:  # the form checks first; this guards every other caller
        raise AssessmentError("; ".join(problems))
    profile = Profile.from_dict(data)
    assessment.profile = profile.to_dict()
    assessment.updated_at = timezone.now()
    fields = ["profile", "updated_at"]
    if assessment.last_step in ("", PROFILE_STEP):
        areas = applicable_areas(assessment)
        assessment.last_step = areas[0].id if areas else REVIEW_STEP
        fields.append("last_step")
    assessment.save(update_fields=fields)
    refresh_assignments(assessment)
    return profile


def uncounted_answers(assessment: Assessment) -> list[str]:
    """Ids of stored answers whose questions do not apply to the current profile (kept, not counted)."""
    applicable = {question.id for question in applicable_questions(assessment)}
    return [qid for qid in answers_of(assessment) if qid not in applicable]


def save_answers(assessment: Assessment, answers: Mapping[str, str], user: User | None, *,
                 area: str | None = None, step: str | None = None) -> int:
    """Validate every answer, then store them all (or nothing). ``area`` limits the ids to one area;
    ``step`` is where "continue" takes the user next (default: the area of the answers). Returns how many
    answers were stored."""
    _require_draft(assessment)
    q = questionnaire()
    applicable = {question.id: question for question in applicable_questions(assessment, q)}
    for qid, value in answers.items():
        question = q.questions.get(qid)
        if question is None or (area is not None and question.area != area):
            raise InvalidAnswer(_("“%(id)s” is not a question of this step. Nothing was saved.") % {"id": qid[:80]})
        if qid not in applicable:
            raise InvalidAnswer(_("The question “%(question)s” does not apply to your company's profile. "
                                  "Nothing was saved.") % {"question": question.text(lang()).question})
        if value not in q.scale_of(question).keys:
            raise InvalidAnswer(_("“%(value)s” is not one of the answers to “%(question)s”. Nothing was saved.")
                                % {"value": value[:40], "question": question.text(lang()).question})
    now = timezone.now()
    answered_by = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        for qid, value in answers.items():
            assessment.answers.update_or_create(
                question=qid, defaults={"value": value, "answered_by": answered_by, "answered_at": now})
        assessment.updated_at = now
        if step is None and answers:
            step = q.questions[next(iter(answers))].area
        if step:
            assessment.last_step = step
        assessment.save(update_fields=["updated_at", "last_step"])
        refresh_assignments(assessment)
    return len(answers)


# --- progress ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AreaProgress:
    area: Area
    answered: int
    applicable: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.applicable


def area_progress(assessment: Assessment, q: Questionnaire | None = None) -> list[AreaProgress]:
    """Answered / applicable per applicable area, in questionnaire order ("na" counts as answered)."""
    q = q or questionnaire()
    answered = set(answers_of(assessment))
    counts: dict[str, list[int]] = {}
    for question in applicable_questions(assessment, q):
        row = counts.setdefault(question.area, [0, 0])
        row[0] += question.id in answered
        row[1] += 1
    return [AreaProgress(q.areas[a], done, total) for a, (done, total) in counts.items()]


def progress(assessment: Assessment) -> tuple[int, int]:
    """(answered, applicable) over the questions that apply to the stored profile."""
    rows = area_progress(assessment)
    return sum(r.answered for r in rows), sum(r.applicable for r in rows)


def refresh_assignments(assessment: Assessment) -> None:
    """An assignment is completed while every applicable question of its area has an answer."""
    assignments = list(assessment.assignments.all())
    if not assignments:
        return
    complete = {row.area.id for row in area_progress(assessment) if row.complete}
    now = timezone.now()
    for assignment in assignments:
        done = assignment.area in complete
        if done and assignment.completed_at is None:
            assignment.completed_at = now
            assignment.save(update_fields=["completed_at"])
        elif not done and assignment.completed_at is not None:  # the profile added questions to the area
            assignment.completed_at = None
            assignment.save(update_fields=["completed_at"])


def assignments_for(user: User, assessment: Assessment) -> list[AreaAssignment]:
    """What ``user`` was asked to answer (by account, or by the address an invitation went to)."""
    if not user.is_authenticated:
        return []
    return list(assessment.assignments.filter(Q(assignee=user) | Q(assignee__isnull=True, email__iexact=user.email))
                .order_by("created_at"))


# --- submitting ---------------------------------------------------------------------------------------------------

def submit(assessment: Assessment, user: User | None) -> Assessment:
    """Score and close the draft, bring the company record up to date, and rebuild the action plan.

    Raises ``IncompleteAssessment`` while an applicable question has no answer."""
    from smecyber.methodology.maturity import score

    _require_draft(assessment)
    q = questionnaire()
    missing = [row.area for row in area_progress(assessment, q) if not row.complete]
    if missing:
        raise IncompleteAssessment([a.id for a in missing], [a.text(lang()).title for a in missing])
    profile = profile_of(assessment)
    maturity = score(q, profile, answers_of(assessment))
    now = timezone.now()
    with transaction.atomic():
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_by = user if user is not None and user.is_authenticated else None
        assessment.submitted_at = now
        assessment.updated_at = now
        assessment.last_step = REVIEW_STEP
        assessment.questionnaire_version = q.version
        assessment.overall = maturity.overall
        assessment.area_scores = {area.area: area.score for area in maturity.areas}
        assessment.save()
        company = assessment.company
        company.size_band = profile.size_band
        company.builds_software = profile.builds_software
        if profile.sector:
            company.sector = profile.sector
        if profile.country:  # the peer group is size band, sector AND country: all three as last declared
            company.country = profile.country
        company.save(update_fields=["size_band", "sector", "builds_software", "country"])
    _refresh_plan(company)
    return assessment


def _refresh_plan(company: Company) -> None:
    plan_service.refresh_plan(company)


# --- the peer group -------------------------------------------------------------------------------------------

def group_scores(company: Company) -> list[float]:
    """The latest submitted overall maturity of every SME on the platform (any programme) with the company's
    size band, sector and country — the company itself included."""
    latest = (Assessment.objects.filter(company=OuterRef("pk"), status=Assessment.Status.SUBMITTED)
              .order_by("-submitted_at", "-started_at").values("overall")[:1])
    peers = (Company.objects.filter(size_band=company.size_band, sector=company.sector, country=company.country)
             .annotate(latest_overall=Subquery(latest)).filter(latest_overall__isnull=False))
    return [float(value) for value in peers.values_list("latest_overall", flat=True)]
