"""A campaign's statistics: the one GROUP BY query matches a hand count, only a closed campaign has figures, and
the dimension questions never become indicators."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smecyber.stats import ALL
from smecyber.surveys import bits as bitmap
from smecyber.surveys import services
from smecyber.surveys.models import Campaign, Response
from smecyber.surveys.statistics import (
    CellFilter,
    FilterError,
    breakdown,
    campaign_rows,
    campaign_statistics,
    indicators_of,
    official_comparison,
    parse_filter,
    question_figures,
)
from tests.surveys.conftest import SurveyWorld
from tests.surveys.population import close, hand_count, random_answers, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(campaign: Campaign) -> list[dict[str, list[str]]]:
    """40 responses: 22 from SE (sector J, small or micro), 13 from LV (sector C, small), 5 from LT (J, micro)."""
    rng = random.Random(5)
    answers = [random_answers(campaign, rng, country="SE", sector="J", size_band=rng.choice(["small", "micro"]))
               for _ in range(22)]
    answers += [random_answers(campaign, rng, country="LV", sector="C", size_band="small") for _ in range(13)]
    answers += [random_answers(campaign, rng, country="LT", sector="J", size_band="micro") for _ in range(5)]
    return store(campaign, answers)


def test_hasbit_lookup_counts_the_responses_that_chose_an_option(campaign: Campaign, population) -> None:
    column, value = bitmap.column_and_value(campaign.bits["documents.yes"])
    expected = sum(a["documents"] == ["yes"] for a in population)
    assert Response.objects.filter(campaign=campaign, **{f"{column}__hasbit": value}).count() == expected


def test_rows_come_from_one_query_and_match_a_hand_count(campaign: Campaign, population) -> None:
    with CaptureQueriesContext(connection) as queries:
        rows = campaign_rows(campaign)
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1
    by_cell = {(c, s, z): (n, counts) for c, s, z, n, counts in rows}
    assert sum(n for n, _ in by_cell.values()) == 40
    template = services.template_of(campaign)
    for (country, sector, size), (n, counts) in by_cell.items():
        for indicator, count in counts.items():
            exclusive = template.question(indicator.split(".")[0]).exclusive
            assert (n, count) == hand_count(population, indicator, country, sector, size, exclusive=exclusive)


def test_dimension_questions_are_not_indicators(campaign: Campaign) -> None:
    names = indicators_of(campaign)
    assert not [n for n in names if n.split(".")[0] in ("country", "sector", "size_band")]
    assert "measures.any" in names and "measures.E_SECMVPN" in names and "documents.yes" in names
    assert "documents.any" not in names  # single question: no "any"


def test_an_open_campaign_has_no_figures(campaign: Campaign, population) -> None:
    assert campaign_statistics(campaign) is None
    close(campaign)
    assert campaign_statistics(campaign) is not None


def test_closed_figures_match_the_hand_count_and_hide_small_groups(sw: SurveyWorld, campaign: Campaign,
                                                                    population) -> None:
    close(campaign, sw.coordinator)
    protected = campaign_statistics(campaign)
    assert protected is not None
    template = services.template_of(campaign)
    exclusive = {q.id: q.exclusive for q in template.questions.values()}
    shown = protected.shown_keys()
    assert (ALL, ALL, ALL) in shown and len(shown) > 1
    for key in shown:
        cell = protected.figure(*key)
        assert cell is not None and cell.n >= 5, key
        for indicator in indicators_of(campaign):
            n, count = hand_count(population, indicator, *key, exclusive=exclusive[indicator.split(".")[0]])
            assert (cell.n, cell[indicator].count) == (n, count)
            assert cell[indicator].percent == pytest.approx(100 * count / n)
            assert cell[indicator].ci_low <= cell[indicator].percent <= cell[indicator].ci_high
    # EE answered nobody: an empty group is hidden like a small one
    assert protected.figure("EE") is None
    figures = question_figures(campaign, protected, CellFilter(country="EE"), "en")
    assert figures and all(q.hidden and all(f.hidden and f.count is None and f.percent is None for f in q.options)
                           for q in figures)


def test_figures_are_cached_once_closed(sw: SurveyWorld, campaign: Campaign, population) -> None:
    close(campaign, sw.coordinator)
    first = campaign_statistics(campaign)
    with CaptureQueriesContext(connection) as queries:
        again = campaign_statistics(campaign)
    assert not queries.captured_queries
    assert again is not None and first is not None and again.figure().n == first.figure().n == 40


def test_breakdown_and_comparison(sw: SurveyWorld, campaign: Campaign, population) -> None:
    close(campaign, sw.coordinator)
    protected = campaign_statistics(campaign)
    assert protected is not None
    rows = breakdown(campaign, protected, "documents.yes", "country", CellFilter(), "en")
    assert [r.value for r in rows][-1] == ALL and len(rows) == 11
    by_value = {r.value: r.figure for r in rows}
    assert by_value["LV"].n == 13 and by_value["SE"].n == 22 and by_value[ALL].n == 40
    assert by_value["EE"].hidden and by_value["EE"].count is None
    comparison = official_comparison(campaign, protected, CellFilter(), "en")
    ids = {s.id for s in comparison.sources}
    assert {"eurostat_eu27_2024", "lithuania_2022"} <= ids
    rows_by = {r.indicator: r for r in comparison.rows}
    assert rows_by["measures.any"].official["eurostat_eu27_2024"] == pytest.approx(92.8)
    assert rows_by["measures.any"].official["lithuania_2022"] == pytest.approx(88.1)
    assert rows_by["measures.any"].ours.n == 40
    assert any("10 or more" in s.population for s in comparison.sources)


def test_unknown_filter_values_are_refused(campaign: Campaign) -> None:
    assert parse_filter(campaign, {"country": "SE", "sector": "", "size_band": "all"}) == CellFilter(country="SE")
    for bad in ({"country": "XX"}, {"sector": "*J"}, {"size_band": "huge"}):
        with pytest.raises(FilterError):
            parse_filter(campaign, bad)
