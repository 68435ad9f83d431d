"""CRA readiness: when it applies, the dates around the milestones, item scores and readiness."""

from __future__ import annotations

from datetime import date

import pytest

from smecyber.methodology.cra import assess_cra
from smecyber.methodology.profile import Profile
from smecyber.methodology.texts import reason_text, text

from .builders import sample

MAKER = Profile(size_band="small", builds_software=True, places_products=True)
IN_HOUSE = Profile(size_band="small", builds_software=True)
SHOP = Profile(size_band="micro")


def test_applies_only_when_placing_products() -> None:
    q = sample()
    maker = assess_cra(q, MAKER, {}, date(2026, 1, 1))
    assert maker.applies and maker.reasons[0].key == "cra.applies"
    in_house = assess_cra(q, IN_HOUSE, {}, date(2026, 1, 1))
    assert not in_house.applies
    assert [r.key for r in in_house.reasons] == ["cra.not_placing_builds_software", "cra.disclaimer"]
    assert "only if you place products on the EU market" in reason_text(in_house.reasons[0], "en")
    shop = assess_cra(q, SHOP, {}, date(2026, 1, 1))
    assert not shop.applies and [r.key for r in shop.reasons] == ["cra.not_applicable", "cra.buyer"]


@pytest.mark.parametrize(
    ("today", "in_force"),
    [
        (date(2026, 6, 10), [False, False, False]),
        (date(2026, 6, 11), [True, False, False]),
        (date(2026, 9, 10), [True, False, False]),
        (date(2026, 9, 11), [True, True, False]),
        (date(2027, 12, 10), [True, True, False]),
        (date(2027, 12, 11), [True, True, True]),
    ],
)
def test_milestones(today: date, in_force: list[bool]) -> None:
    result = assess_cra(sample(), MAKER, {}, today)
    assert [m.date for m in result.milestones] == [date(2026, 6, 11), date(2026, 9, 11), date(2027, 12, 11)]
    assert [m.key for m in result.milestones] == ["cra.milestone.notified_bodies", "cra.milestone.reporting",
                                                  "cra.milestone.full"]
    assert [m.in_force for m in result.milestones] == in_force
    assert "Art. 14" in text("cra.milestone.reporting", "en")


def test_item_scores_and_readiness() -> None:
    q = sample()
    # sbom (w2) -> II.1, I.2.a; vuln_handling (w3) -> II.2, II.5, I.2.a; secure_default (w1) -> I.2.b
    answers = {"development.sbom": "0.5", "development.vuln_handling": "1", "development.secure_default": "na"}
    result = assess_cra(q, MAKER, answers, date(2026, 1, 1))
    items = {i.id: i for i in result.items}
    assert list(items) == list(q.frameworks["cra"])  # every CRA item, in order
    assert items["II.1"].score == 0.5 and items["II.1"].questions == ("development.sbom",)
    assert items["II.2"].score == 1.0
    assert items["I.2.a"].score == 0.8  # (2 * 0.5 + 3 * 1) / 5
    assert items["I.2.a"].questions == ("development.sbom", "development.vuln_handling")
    assert items["I.2.b"].score is None  # only a "not applicable" answer
    assert items["I.2.b"].questions == ("development.secure_default",)
    assert items["I.1"].score is None and items["I.1"].questions == ()
    assert result.readiness == 0.83  # (0.5 + 1.0 + 1.0 + 0.8) / 4 = 0.825, half up


def test_readiness_none_without_answers_and_for_a_shop() -> None:
    assert assess_cra(sample(), MAKER, {}, date(2026, 1, 1)).readiness is None
    shop = assess_cra(sample(), SHOP, {"development.sbom": "1"}, date(2026, 1, 1))
    assert shop.readiness is None  # the development area does not apply to a shop
