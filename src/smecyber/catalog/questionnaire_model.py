"""The self-assessment questionnaire as typed data: areas, answer scales, questions, recommendations,
framework items (NIS2 Art. 21(2), CRA Annex I, GDPR Art. 32, Eurostat ICT-security indicators) and the
NIS2 sectors. Loaded and validated by ``questionnaire.load_questionnaire``; the files are in
``catalog/questionnaire/`` (English text and metadata) with ``<file>.<lang>.yaml`` translations beside them.

Texts are kept per language in ``texts`` mappings; ``text(lang)`` falls back to English for an unsupported
language (the loader guarantees every supported language is complete).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .findings import Reference
from .languages import normalize_language

T = TypeVar("T")

SIZE_BANDS = ("micro", "small", "medium", "large")
NACE_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
PERSONAL_DATA_KINDS = ("citizens", "patients", "pupils")  # special groups whose data raises the stakes
OWNERS = ("sme", "it_provider", "web_host")  # who is best placed to carry out a recommendation
LIKELIHOODS = ("low", "medium", "high")
FRAMEWORKS = ("nis2", "cra", "gdpr", "eurostat")
NIS2_SIZE_RULES = (
    "standard",  # in scope from medium size (Art. 2(1)); Annex I + large = essential, otherwise important
    "essential_any_size",  # Art. 3(1)(b): qualified trust services, TLD registries, DNS service providers
    "any_size",  # Art. 2(2)(a)(iii): non-qualified trust service providers (essential when large)
    "essential_from_medium",  # Art. 2(2)(a)(i) + 3(1)(c): public electronic communications
)


class Texts(Generic[T]):
    """One text record per supported language."""

    __slots__ = ("_by_lang",)

    def __init__(self, by_lang: dict[str, T]) -> None:
        self._by_lang = by_lang

    def get(self, lang: str | None) -> T:
        return self._by_lang[normalize_language(lang)]

    def languages(self) -> list[str]:
        return sorted(self._by_lang)

    def items(self) -> list[tuple[str, T]]:
        return sorted(self._by_lang.items())


@dataclass(frozen=True, slots=True)
class Condition:
    """When a question applies (or a recommendation's likelihood rises). Every given field must hold
    (AND); a list field holds when the profile's value is one of the list (OR). ``None`` = no constraint."""

    size_band: frozenset[str] | None = None
    sector: frozenset[str] | None = None  # NACE sections
    builds_software: bool | None = None
    places_products: bool | None = None  # puts software or connected products on the EU market (CRA)
    personal_data: bool | None = None  # processes citizens', patients' or pupils' personal data
    nis2_sector: bool | None = None  # works in a sector of NIS2 Annex I or II

    @property
    def empty(self) -> bool:
        return all(getattr(self, f) is None for f in self.__slots__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class AreaText:
    title: str
    intro: str


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    order: int
    software_only: bool  # asked only of companies that build software or digital products
    texts: Texts[AreaText]

    def text(self, lang: str | None) -> AreaText:
        return self.texts.get(lang)


@dataclass(frozen=True, slots=True)
class StepText:
    label: str  # short: "Partly"
    meaning: str  # what choosing it means: "Done for some systems or people, not agreed or written down"


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # "0", "0.25", "0.5", "1" or "na"
    value: float | None  # None for "not applicable"
    texts: Texts[StepText]

    def text(self, lang: str | None) -> StepText:
        return self.texts.get(lang)


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.steps)


@dataclass(frozen=True, slots=True)
class QuestionText:
    question: str
    help: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str  # "<area>.<name>", e.g. "backups.offline_copy"
    area: str
    order: int  # position in the whole questionnaire
    weight: int  # 1, 2 or 3
    scale: str
    applies: Condition
    recommendations: tuple[str, ...]
    csf: tuple[str, ...]
    nis2: tuple[str, ...]  # Art. 21(2) letters
    cra: tuple[str, ...]  # Annex I items: "I.1", "I.2.a" ... "I.2.m", "II.1" ... "II.8"
    gdpr: tuple[str, ...]  # Art. 32 items: "32.1.a" ... "32.1.d", "32.2", "32.4"
    eurostat: tuple[str, ...]  # ICT-security survey indicator codes
    texts: Texts[QuestionText]

    def text(self, lang: str | None) -> QuestionText:
        return self.texts.get(lang)


@dataclass(frozen=True, slots=True)
class RecommendationText:
    title: str
    why: str
    how: str  # concrete steps, one per line ("1. ...")


@dataclass(frozen=True, slots=True)
class Recommendation:
    id: str  # "rec.<name>"
    severity: str  # low | medium | high | critical
    likelihood: str  # low | medium | high: how likely the risk is for a typical SME
    raise_likelihood: tuple[Condition, ...]  # each that holds for the SME raises the likelihood one step
    effort: str  # low | medium | high
    owner: str  # sme | it_provider | web_host
    findings: tuple[str, ...]  # finding-key prefixes ("mail.dmarc.") this recommendation also covers
    references: tuple[Reference, ...]
    texts: Texts[RecommendationText]

    def text(self, lang: str | None) -> RecommendationText:
        return self.texts.get(lang)


@dataclass(frozen=True, slots=True)
class FrameworkItem:
    framework: str  # nis2 | cra | gdpr | eurostat
    id: str  # "a", "I.2.c", "32.1.b", "E_SECMDUO"
    texts: Texts[str]  # the item's title

    def title(self, lang: str | None) -> str:
        return self.texts.get(lang)


@dataclass(frozen=True, slots=True)
class Nis2Sector:
    id: str
    annex: str  # "I" or "II"
    size_rule: str  # one of NIS2_SIZE_RULES
    texts: Texts[str]  # the sector's name

    def title(self, lang: str | None) -> str:
        return self.texts.get(lang)


@dataclass(frozen=True)
class Questionnaire:
    version: str
    areas: dict[str, Area]  # in order
    scales: dict[str, Scale]
    questions: dict[str, Question]  # in order
    recommendations: dict[str, Recommendation]
    frameworks: dict[str, dict[str, FrameworkItem]]  # framework -> item id -> item
    nis2_sectors: dict[str, Nis2Sector]
    extra: dict[str, object] = field(default_factory=dict)

    def questions_in(self, area: str) -> list[Question]:
        return [q for q in self.questions.values() if q.area == area]

    def scale_of(self, question: Question) -> Scale:
        return self.scales[question.scale]
