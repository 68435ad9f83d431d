"""An action plan item as people read it, in their language: the page, the CSV export and the API share this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from smecyber.catalog import ui_text
from smecyber.catalog.findings import Reference
from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.checks.targets import unicode_name
from smecyber.methodology.plan import FINDING_PREFIX, item_text
from smecyber.reports.fixes import finding_text

from .models import ActionItem

OPEN = (ActionItem.Status.TODO, ActionItem.Status.DOING)
CLOSED = (ActionItem.Status.DONE, ActionItem.Status.ACCEPTED)
SEVERITIES = ("critical", "high", "medium", "low")
EFFORTS = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class ItemKind:
    """What methodology.plan.item_text reads of an item: its key and kind."""

    key: str
    kind: str


def kind_of(key: str) -> str:
    return "finding" if key.startswith(FINDING_PREFIX) else "recommendation"


def how_steps(how: str) -> list[str]:
    """The "how" text as steps: one per line, without the "1." that a numbered list adds again."""
    steps = []
    for line in how.splitlines():
        text = line.strip()
        head, dot, rest = text.partition(".")
        if dot and head.isdigit():
            text = rest.strip()
        elif text[:1] in ("-", "*"):
            text = text[1:].strip()
        if text:
            steps.append(text)
    return steps


def domain_label(name: str) -> str:
    try:
        return unicode_name(name)
    except Exception:  # a name the IDNA codec rejects is still shown, as stored
        return name


@dataclass(frozen=True, slots=True)
class AnswerSource:
    question_id: str
    answer: str  # the step key
    question: str  # the question's text
    answer_label: str  # the step's label ("Partly")


@dataclass(frozen=True, slots=True)
class FindingSource:
    key: str
    status: str
    domain: str  # as stored (A-label)
    title: str
    domain_label: str  # as people read it (Unicode)


@dataclass(slots=True)
class ItemView:
    item: ActionItem
    title: str
    why: str
    how: str
    steps: list[str]
    references: tuple[Reference, ...]
    answers: list[AnswerSource]
    findings: list[FindingSource]
    severity_label: str
    effort_label: str
    overdue: bool
    confirmed: bool  # done, and a later scan found it fixed
    reopened: bool  # a scan after it was marked done still found the problem
    form: Any = None  # the change form, for the SME's own people (plan_views)

    @property
    def anchor(self) -> str:
        return f"item-{self.item.pk}"

    @property
    def found(self) -> list[tuple[str, str]]:
        """(finding title, domain) once each: two findings with one title on one domain read as one."""
        return list(dict.fromkeys((f.title, f.domain_label) for f in self.findings))

    @property
    def found_text(self) -> str:
        return "; ".join(_("%(finding)s on %(domain)s") % {"finding": t, "domain": d} for t, d in self.found)

    @property
    def sources_text(self) -> str:
        parts = [_("Your answer: “%(answer)s” to “%(question)s”") % {"question": a.question, "answer": a.answer_label}
                 for a in self.answers]
        parts += [_("Scan found: %(finding)s on %(domain)s") % {"finding": t, "domain": d} for t, d in self.found]
        return "; ".join(parts)


def answer_sources(q: Questionnaire, sources: dict[str, Any], lang: str) -> list[AnswerSource]:
    out = []
    for pair in sources.get("questions") or []:
        qid, answer = str(pair[0]), str(pair[1])
        question = q.questions.get(qid)
        if question is None:  # a question a later questionnaire dropped
            out.append(AnswerSource(qid, answer, qid, answer))
            continue
        step = q.scale_of(question).step(answer)
        out.append(AnswerSource(qid, answer, question.text(lang).question, step.text(lang).label if step else answer))
    return out


def finding_sources(sources: dict[str, Any], lang: str) -> list[FindingSource]:
    return [FindingSource(str(row[0]), str(row[1]), str(row[2]), finding_text(str(row[0]), lang).title,
                          domain_label(str(row[2])))
            for row in sources.get("findings") or []]


def item_view(q: Questionnaire, item: ActionItem, lang: str, today: dt.date) -> ItemView:
    title, why, how, references = item_text(q, ItemKind(item.key, kind_of(item.key)), lang)  # type: ignore[arg-type]
    sources = item.sources if isinstance(item.sources, dict) else {}
    reopened = item.reopened_at is not None and (item.done_at is None or item.reopened_at > item.done_at)
    return ItemView(
        item=item, title=title, why=why, how=how, steps=how_steps(how), references=tuple(references),
        answers=answer_sources(q, sources, lang), findings=finding_sources(sources, lang),
        severity_label=ui_text(f"severity.{item.severity}", lang) if item.severity in SEVERITIES else item.severity,
        effort_label=ui_text(f"effort.{item.effort}", lang) if item.effort in EFFORTS else item.effort,
        overdue=item.due_date is not None and item.due_date < today and item.status in OPEN,
        confirmed=item.status == ActionItem.Status.DONE and item.confirmed_at is not None,
        reopened=reopened and item.status in OPEN,
    )
