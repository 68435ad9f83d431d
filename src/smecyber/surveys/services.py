"""Survey campaigns: create one from the packaged template, edit it while a draft, open it, close it (for good),
and store responses.

A campaign freezes the template when it is created (``Campaign.definition``: questions, options and texts in
every language), so later changes of the packaged template never change what a running campaign asks or how
its stored bits decode. Responses keep only the answers (as bits), the three statistics dimensions, the
language and the day: nothing that names the respondent. A member SME's answer also writes a
``Participation`` (that this SME answered), in the same transaction, with no reference to its response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smecyber.accounts.models import Company, Programme, User
from smecyber.catalog.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_language
from smecyber.catalog.survey_template import (
    SurveyQuestion,
    SurveyTemplate,
    load_survey_template,
    template_from_definition,
)

from . import bits as bitmap
from .models import Campaign, Participation, Response

DIMENSIONS = ("country", "sector", "size_band")
TITLE_MAX = 200
INTRO_MAX = 4000


# --- errors ---------------------------------------------------------------------------------------------------

class SurveyError(ValueError):
    """Something the user can correct or should know; ``str(error)`` is a message for them."""


class CampaignNotDraft(SurveyError):
    def __init__(self) -> None:
        super().__init__(_("This survey is no longer a draft: its questions can no longer be changed."))


class CampaignNotOpen(SurveyError):
    def __init__(self) -> None:
        super().__init__(_("This survey is not open for answers."))


class CampaignClosed(SurveyError):
    def __init__(self) -> None:
        super().__init__(_("This survey is closed. Thank you for your interest."))


class AlreadyAnswered(SurveyError):
    def __init__(self) -> None:
        super().__init__(_("Your company has already answered this survey. Each company answers once."))


class InvalidAnswers(SurveyError):
    """Answers that do not fit the questions; ``errors`` = question id -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(_("Some questions need an answer or a correction. Please look at the marked questions."))


# --- the frozen definition ------------------------------------------------------------------------------------

def template_of(campaign: Campaign) -> SurveyTemplate:
    """The campaign's frozen definition with the catalog template's API (texts in every language); kept on the
    instance, as the definition of a loaded campaign does not change."""
    cached = getattr(campaign, "_template", None)
    if cached is None or cached[0] is not campaign.definition:
        cached = (campaign.definition, template_from_definition(campaign.definition))
        campaign._template = cached  # type: ignore[attr-defined]
    return cached[1]


def all_questions(campaign: Campaign) -> list[SurveyQuestion]:
    """Every question of the campaign's frozen definition, in order (asked or not)."""
    return list(template_of(campaign).questions.values())


def questions_of(campaign: Campaign) -> list[SurveyQuestion]:
    """The questions this campaign asks, in the definition's order."""
    included = set(campaign.included)
    return [q for q in all_questions(campaign) if q.id in included]


@dataclass(frozen=True)
class Part:
    """A section of the answer form: its texts in one language and its included questions."""

    id: str
    number: int
    title: str
    intro: str
    questions: list[SurveyQuestion]


def parts_of(campaign: Campaign, lang: str | None) -> list[Part]:
    """The sections that have at least one included question, in order, with their texts in ``lang``."""
    template = template_of(campaign)
    included = set(campaign.included)
    parts: list[Part] = []
    for section in template.sections.values():
        inside = [q for q in template.questions.values() if q.section == section.id and q.id in included]
        if inside:
            text = section.texts.get(lang)
            parts.append(Part(section.id, len(parts) + 1, text.title, text.intro or "", inside))
    return parts


def intro_of(campaign: Campaign, lang: str | None) -> str:
    """The coordinator's introduction in ``lang``, else in English, else empty."""
    intro = campaign.intro or {}
    return intro.get(normalize_language(lang)) or intro.get(DEFAULT_LANGUAGE) or ""


# --- campaigns ------------------------------------------------------------------------------------------------

def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise SurveyError(_("Give the survey a title."))
    if len(title) > TITLE_MAX:
        raise SurveyError(_("The title is too long (at most 200 characters)."))
    return title


def create_campaign(programme: Programme, user: User | None, *, title: str) -> Campaign:
    """A draft campaign of ``programme`` from the packaged template, every question included."""
    definition = load_survey_template().as_definition()
    return Campaign.objects.create(
        programme=programme,
        title=_clean_title(title),
        template_version=definition["version"],
        definition=definition,
        included=[q["id"] for q in definition["questions"]],
        bits=bitmap.assign_bits(definition),
        created_by=user if user is not None and user.is_authenticated else None,
    )


def update_campaign(campaign: Campaign, *, title: str, intro: Mapping[str, str], included: Iterable[str],
                    anonymous_link: bool | None = None, members: bool | None = None) -> Campaign:
    """Change a draft: its title, the introduction per language and which questions it asks (the fixed profile
    questions always stay)."""
    if campaign.status != Campaign.Status.DRAFT:
        raise CampaignNotDraft
    questions = all_questions(campaign)
    known = {q.id for q in questions}
    wanted = set(included)
    unknown = sorted(wanted - known)
    if unknown:
        raise SurveyError(_("Unknown questions: %(ids)s") % {"ids": ", ".join(unknown)})
    missing_fixed = [q for q in questions if q.fixed and q.id not in wanted]
    if missing_fixed:
        raise SurveyError(_("The company profile questions are always asked: the statistics are grouped by them."))
    texts = {}
    for lang, text in (intro or {}).items():
        if lang not in SUPPORTED_LANGUAGES:
            raise SurveyError(_("Unknown language: %(lang)s") % {"lang": lang})
        text = (text or "").strip()
        if len(text) > INTRO_MAX:
            raise SurveyError(_("An introduction is too long (at most 4000 characters)."))
        if text:
            texts[lang] = text
    campaign.title = _clean_title(title)
    campaign.intro = texts
    campaign.included = [q.id for q in questions if q.id in wanted]
    if anonymous_link is not None:
        campaign.anonymous_link = anonymous_link
    if members is not None:
        campaign.members = members
    if not (campaign.anonymous_link or campaign.members):
        raise SurveyError(_("Offer the survey through the anonymous link, to the programme's SMEs, or both."))
    campaign.save(update_fields=["title", "intro", "included", "anonymous_link", "members"])
    return campaign


def _move(campaign: Campaign, to: str, stamp: str, refusals: Mapping[str, str]) -> Campaign:
    """Change the campaign's status to ``to`` and set its ``stamp`` time, under a row lock; a status named in
    ``refusals`` refuses the change with that message."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status in refusals:
            raise SurveyError(refusals[locked.status])
        locked.status = to
        setattr(locked, stamp, timezone.now())
        locked.save(update_fields=["status", stamp])
    campaign.status = locked.status
    setattr(campaign, stamp, getattr(locked, stamp))
    return campaign


def open_campaign(campaign: Campaign, user: User | None) -> Campaign:
    """Start taking answers. Only a draft opens (a closed campaign never reopens: its figures are published)."""
    return _move(campaign, Campaign.Status.OPEN, "opened_at", {
        Campaign.Status.OPEN: _("This survey is already open."),
        Campaign.Status.CLOSED: _("A closed survey cannot be opened again: its figures are final."),
    })


def close_campaign(campaign: Campaign, user: User | None) -> Campaign:
    """Stop taking answers, for good: the figures are published from the closed campaign and never change."""
    return _move(campaign, Campaign.Status.CLOSED, "closed_at", {
        Campaign.Status.CLOSED: _("This survey is already closed."),
        Campaign.Status.DRAFT: _("Only an open survey can be closed."),
    })


# --- answers --------------------------------------------------------------------------------------------------

def validate_answers(campaign: Campaign, answers: Mapping[str, Iterable[str] | str], *,
                     language: str | None = None) -> dict[str, list[str]]:
    """The answers, cleaned (each question's options in the definition's order), or ``InvalidAnswers`` with a
    message for every question that is unanswered or answered in a way it does not allow."""
    language = language or translation.get_language()
    questions = questions_of(campaign)
    asked = {q.id for q in questions}
    errors: dict[str, str] = {}
    for qid in answers:
        if qid not in asked:
            errors[qid] = _("This survey does not ask this question.")
    clean: dict[str, list[str]] = {}
    for q in questions:
        raw = answers.get(q.id) or []
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list | tuple | set | frozenset) or not all(isinstance(o, str) for o in raw):
            errors[q.id] = _("Please choose one of the answers offered.")
            continue
        given = set(raw) - {""}
        if not given:
            errors[q.id] = _("Please choose an answer.") if q.kind == "single" else _(
                "Please choose at least one answer.")
            continue
        if given - set(q.options):
            errors[q.id] = _("Please choose one of the answers offered.")
            continue
        if q.kind == "single" and len(given) != 1:
            errors[q.id] = _("Please choose only one answer.")
            continue
        if q.exclusive and q.exclusive in given and len(given) > 1:
            errors[q.id] = _('"%(label)s" cannot be combined with other answers.') % {
                "label": q.option_label(q.exclusive, language)}
            continue
        clean[q.id] = [o for o in q.options if o in given]
    if errors:
        raise InvalidAnswers(errors)
    return clean


def _dimension_values(campaign: Campaign, clean: Mapping[str, list[str]]) -> dict[str, str]:
    values = dict.fromkeys(DIMENSIONS, "")
    for q in questions_of(campaign):
        if q.dimension in values and clean.get(q.id):
            values[q.dimension] = clean[q.id][0]
    return values


def _check_accepts(campaign: Campaign, company: Company | None) -> None:
    if campaign.status == Campaign.Status.CLOSED:
        raise CampaignClosed
    if campaign.status != Campaign.Status.OPEN:
        raise CampaignNotOpen
    if company is None and not campaign.anonymous_link:
        raise CampaignNotOpen
    if company is not None and (not campaign.members or company.programme_id != campaign.programme_id):
        raise CampaignNotOpen


def submit_response(campaign: Campaign, answers: Mapping[str, Iterable[str] | str], *, language: str,
                    company: Company | None = None) -> Response:
    """Store one response. With ``company`` it is a member SME's answer: its Participation and the response are
    written together, and a second answer of the same SME raises ``AlreadyAnswered``."""
    _check_accepts(campaign, company)
    clean = validate_answers(campaign, answers, language=language)
    fields = {**_dimension_values(campaign, clean), **bitmap.encode(campaign.bits, clean),
              "language": normalize_language(language)}
    try:
        with transaction.atomic():
            # The status again, locked against close_campaign (which locks the row too): no answer lands in a
            # campaign after it was closed, whose published figures must never change.
            current = Campaign.objects.select_for_update(no_key=True).get(pk=campaign.pk)
            _check_accepts(current, company)
            if company is not None:
                Participation.objects.create(campaign=current, company=company)
            return Response.objects.create(campaign=current, **fields)
    except IntegrityError:
        if company is not None and has_answered(campaign, company):
            raise AlreadyAnswered from None
        raise


def has_answered(campaign: Campaign, company: Company) -> bool:
    return Participation.objects.filter(campaign=campaign, company=company).exists()
