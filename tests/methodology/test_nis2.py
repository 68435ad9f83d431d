"""NIS2 applicability: the SME size caps at every boundary, each sector size rule, and the reasoning."""

from __future__ import annotations

import pytest

from smecyber.catalog.languages import SUPPORTED_LANGUAGES
from smecyber.methodology.nis2 import assess_nis2, enterprise_size
from smecyber.methodology.profile import Profile
from smecyber.methodology.texts import reason_text

from .builders import sample


@pytest.mark.parametrize(
    ("employees", "turnover", "balance", "expected"),
    [
        # medium: fewer than 250 staff AND (turnover <= 50 OR balance sheet <= 43)
        (249, 50.0, 43.0, "medium"),
        (250, 50.0, 43.0, "large"),
        (249, 50.01, 43.0, "medium"),  # the balance sheet is within its cap
        (249, 50.0, 43.01, "medium"),  # the turnover is within its cap
        (249, 50.01, 43.01, "large"),  # neither
        (249, 50.01, None, "large"),  # a missing figure cannot pass the test
        (249, None, 43.0, "medium"),
        # small: fewer than 50 AND (<= 10 OR <= 10)
        (49, 10.0, 10.0, "small"),
        (50, 10.0, 10.0, "medium"),
        (49, 10.01, 10.0, "small"),
        (49, 10.01, 10.01, "medium"),
        # micro: fewer than 10 AND (<= 2 OR <= 2)
        (9, 2.0, 2.0, "micro"),
        (10, 2.0, 2.0, "small"),
        (9, 2.01, 2.0, "micro"),
        (9, 2.01, 2.01, "small"),
        (0, 0.0, 0.0, "micro"),
        (4, 60.0, 60.0, "large"),  # a tiny staff with a huge turnover is not an SME
    ],
)
def test_size_caps(employees: int, turnover: float | None, balance: float | None, expected: str) -> None:
    result = enterprise_size(employees, turnover, balance, "micro")
    assert result.category == expected and not result.estimated


@pytest.mark.parametrize(
    ("employees", "turnover", "balance", "band"),
    [(None, 5.0, 5.0, "small"), (20, None, None, "medium"), (None, None, None, "micro"), (None, None, None, "large")],
)
def test_missing_figures_use_the_size_band(employees: int | None, turnover: float | None, balance: float | None,
                                           band: str) -> None:
    result = enterprise_size(employees, turnover, balance, band)
    assert result.category == band and result.estimated and result.basis == "band"


def test_250_staff_is_large_whatever_the_money() -> None:
    result = enterprise_size(300, None, None, "micro")
    assert result.category == "large" and not result.estimated and result.basis == "headcount"


def _nis2(**fields):  # type: ignore[no-untyped-def]
    return assess_nis2(Profile(**fields), sample())


def _keys(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.key for r in result.reasons]


def test_no_sector_is_out_with_designation_and_supplier_reasons() -> None:
    result = _nis2(size_band="large", employees=900, turnover_meur=200.0, balance_sheet_meur=150.0)
    assert result.scope == "out" and result.size == "large" and result.sector == ""
    assert _keys(result) == ["nis2.sector_none", "nis2.size_figures", "nis2.linked_enterprises", "nis2.out_no_sector",
                             "nis2.designation_no_sector", "nis2.supplier", "nis2.disclaimer"]
    texts = [reason_text(r, "en") for r in result.reasons]
    assert any("Art. 2(2)(b)–(e)" in t for t in texts)
    assert any("Art. 21(2)(d)" in t for t in texts)
    assert "not legal advice" in texts[-1]


@pytest.mark.parametrize(
    ("sector", "size", "scope", "why"),
    [
        ("energy.electricity", "micro", "out", "nis2.out_size"),
        ("energy.electricity", "small", "out", "nis2.out_size"),
        ("energy.electricity", "medium", "important", "nis2.important_medium"),
        ("energy.electricity", "large", "essential", "nis2.essential_large"),
        ("digital_providers", "medium", "important", "nis2.important_medium"),
        ("digital_providers", "large", "important", "nis2.important_large_annex_ii"),
        ("dns", "micro", "essential", "nis2.essential_any_size"),
        ("dns", "large", "essential", "nis2.essential_any_size"),
        ("trust", "micro", "important", "nis2.important_any_size"),
        ("trust", "medium", "important", "nis2.important_any_size"),
        ("trust", "large", "essential", "nis2.essential_large"),
        ("telecom", "small", "important", "nis2.important_small_telecom"),
        ("telecom", "medium", "essential", "nis2.essential_from_medium"),
        ("telecom", "large", "essential", "nis2.essential_from_medium"),
    ],
)
def test_size_rules(sector: str, size: str, scope: str, why: str) -> None:
    result = _nis2(size_band=size, nis2_sector=sector)
    assert result.scope == scope and result.size == size and result.size_estimated
    keys = _keys(result)
    assert keys[0] in ("nis2.sector_annex_i", "nis2.sector_annex_ii")
    assert keys[1] == "nis2.size_estimated" and keys[2] == "nis2.linked_enterprises"
    assert why in keys and keys[-1] == "nis2.disclaimer"
    if scope == "out":
        assert keys[-3:] == ["nis2.designation_sector", "nis2.supplier", "nis2.disclaimer"]
    else:
        assert "nis2.duties" in keys


def test_out_by_size_names_the_caps() -> None:
    result = _nis2(size_band="micro", nis2_sector="energy.electricity", employees=8, turnover_meur=1.5,
                   balance_sheet_meur=0.9)
    assert result.scope == "out" and not result.size_estimated
    text = " ".join(reason_text(r, "en", sample()) for r in result.reasons)
    assert "Sector energy.electricity" in text and "Annex I" in text
    assert "8 staff, turnover EUR 1.5 million, balance sheet total EUR 0.9 million" in text
    assert "fewer than 10 staff and turnover or balance sheet total at most EUR 2 million" in text
    lv = " ".join(reason_text(r, "lv", sample()) for r in result.reasons)
    assert "1,5 milj. EUR" in lv and "mikrouzņēmums" in lv


def test_figures_decide_over_the_size_band() -> None:
    result = _nis2(size_band="micro", nis2_sector="energy.electricity", employees=120, turnover_meur=30.0)
    assert result.scope == "important" and result.size == "medium" and not result.size_estimated


def test_unknown_sector_id_counts_as_no_sector() -> None:
    assert _nis2(size_band="large", nis2_sector="no.such.sector").scope == "out"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_reason_renders_in_every_language(lang: str) -> None:
    profiles = [dict(size_band=s, nis2_sector=sec) for s in ("micro", "small", "medium", "large")
                for sec in ("", "energy.electricity", "digital_providers", "dns", "trust", "telecom")]
    profiles.append(dict(size_band="micro", employees=300))
    profiles.append(dict(size_band="micro", employees=3, turnover_meur=0.2))
    for fields in profiles:
        for reason in _nis2(**fields).reasons:
            rendered = reason_text(reason, lang, sample())
            assert rendered.strip() and "{" not in rendered


@pytest.mark.parametrize(("turnover", "balance", "shown", "absent"), [
    (0.6, None, "turnover EUR 0.6 million", "balance sheet total EUR"),
    (None, 0.3, "balance sheet total EUR 0.3 million", "turnover EUR"),
])
def test_a_missing_figure_is_left_out_of_the_size_reason(turnover: float | None, balance: float | None, shown: str,
                                                        absent: str) -> None:
    result = _nis2(size_band="micro", employees=4, turnover_meur=turnover, balance_sheet_meur=balance)
    for lang in SUPPORTED_LANGUAGES:
        size_text = reason_text(result.reasons[1], lang)
        assert "—" not in size_text and "{" not in size_text
    size_text = reason_text(result.reasons[1], "en")
    assert shown in size_text and absent not in size_text
