"""Small hand-built questionnaires for the methodology tests: every number in a test can be worked out by hand,
whatever the packaged questionnaire holds."""

from __future__ import annotations

from collections.abc import Iterable

from smecyber.catalog.findings import Reference
from smecyber.catalog.languages import SUPPORTED_LANGUAGES
from smecyber.catalog.questionnaire_model import (
    Area,
    AreaText,
    Condition,
    FrameworkItem,
    Nis2Sector,
    Question,
    Questionnaire,
    QuestionText,
    Recommendation,
    RecommendationText,
    Scale,
    Step,
    StepText,
    Texts,
)

AREA_IDS = ("governance", "assets", "access", "updates", "backups", "devices", "email_web", "people",
            "incidents", "suppliers", "development", "personal_data")
CRA_ITEMS = ("I.1", *(f"I.2.{c}" for c in "abcdefghijklm"), *(f"II.{n}" for n in range(1, 9)))


def same(value):  # type: ignore[no-untyped-def]
    """One text for every language (the engine never reads the words, only picks the language)."""
    return Texts({lang: value for lang in SUPPORTED_LANGUAGES})


def scale(scale_id: str, keys: Iterable[str]) -> Scale:
    values = {"0": 0.0, "0.25": 0.25, "0.5": 0.5, "1": 1.0, "na": None}
    return Scale(scale_id, tuple(Step(k, values[k], same(StepText(f"label {k}", f"meaning {k}"))) for k in keys))


SCALES = {"practice": scale("practice", ("0", "0.25", "0.5", "1", "na")), "yesno": scale("yesno", ("0", "1", "na"))}


def area(area_id: str, order: int) -> Area:
    return Area(area_id, order, area_id == "development", same(AreaText(area_id.title(), "")))


def question(qid: str, *, weight: int = 1, scale_id: str = "practice", applies: Condition | None = None,
             recs: Iterable[str] = (), cra: Iterable[str] = (), order: int = 0) -> Question:
    return Question(qid, qid.split(".")[0], order, weight, scale_id, applies or Condition(), tuple(recs), ("GV.OC-01",),
                    (), tuple(cra), (), (), same(QuestionText(f"Question {qid}?", "")))


def rec(rid: str, *, severity: str = "medium", likelihood: str = "medium", raise_: Iterable[Condition] = (),
        effort: str = "low", owner: str = "sme", findings: Iterable[str] = ()) -> Recommendation:
    return Recommendation(rid, severity, likelihood, tuple(raise_), effort, owner, tuple(findings),
                          (Reference("Guide", "https://example.org/guide"),),
                          same(RecommendationText(f"Title {rid}", f"Why {rid}. More words.", "1. Do it")))


def sector(sid: str, annex: str, size_rule: str) -> Nis2Sector:
    return Nis2Sector(sid, annex, size_rule, same(f"Sector {sid}"))


SECTORS = {s.id: s for s in (
    sector("energy.electricity", "I", "standard"),
    sector("digital_providers", "II", "standard"),
    sector("dns", "I", "essential_any_size"),
    sector("trust", "I", "any_size"),
    sector("telecom", "I", "essential_from_medium"),
)}


def build(questions: Iterable[Question], recs: Iterable[Recommendation] = ()) -> Questionnaire:
    qs = {}
    for i, qu in enumerate(questions):
        qs[qu.id] = Question(qu.id, qu.area, i, qu.weight, qu.scale, qu.applies, qu.recommendations, qu.csf, qu.nis2,
                             qu.cra, qu.gdpr, qu.eurostat, qu.texts)
    return Questionnaire(
        version="test",
        areas={a: area(a, i) for i, a in enumerate(AREA_IDS)},
        scales=dict(SCALES),
        questions=qs,
        recommendations={r.id: r for r in recs},
        frameworks={"cra": {i: FrameworkItem("cra", i, same(f"CRA {i}")) for i in CRA_ITEMS}},
        nis2_sectors=dict(SECTORS),
    )


def sample() -> Questionnaire:
    """A questionnaire shaped like the real one: general areas, one micro-excluded question, a development area
    with CRA items, and an anti-spoofing recommendation that covers DMARC and SPF findings."""
    return build(
        [
            question("governance.responsible", weight=3, recs=["rec.responsible"]),
            question("governance.policy", weight=1, recs=["rec.policy"],
                     applies=Condition(size_band=frozenset({"small", "medium", "large"}))),
            question("backups.offline_copy", weight=3, recs=["rec.backups"]),
            question("backups.restore_test", weight=2, recs=["rec.backups"]),
            question("email_web.anti_spoofing", weight=2, recs=["rec.anti_spoofing"]),
            question("access.mfa", weight=3, scale_id="yesno", recs=["rec.mfa"]),
            question("personal_data.register", weight=1, recs=["rec.gdpr"],
                     applies=Condition(personal_data=True)),
            question("development.sbom", weight=2, recs=["rec.sbom"], cra=["II.1", "I.2.a"]),
            question("development.vuln_handling", weight=3, recs=["rec.cvd"], cra=["II.2", "II.5", "I.2.a"]),
            question("development.secure_default", weight=1, recs=["rec.secure_default"], cra=["I.2.b"]),
        ],
        [
            rec("rec.responsible", severity="medium", likelihood="medium", effort="low"),
            rec("rec.policy", severity="low", likelihood="low", effort="medium"),
            rec("rec.backups", severity="critical", likelihood="medium", effort="medium",
                raise_=[Condition(personal_data=True)]),
            rec("rec.anti_spoofing", severity="high", likelihood="medium", effort="low", owner="it_provider",
                findings=["mail.dmarc.", "mail.spf."]),
            rec("rec.mfa", severity="critical", likelihood="high", effort="low"),
            rec("rec.gdpr", severity="medium", likelihood="low", effort="medium"),
            rec("rec.sbom", severity="medium", likelihood="low", effort="medium"),
            rec("rec.cvd", severity="high", likelihood="medium", effort="medium"),
            rec("rec.secure_default", severity="medium", likelihood="medium", effort="high"),
        ],
    )
