"""The evidence pack read back: the CSV parses, openpyxl finds the right numbers in the XLSX, the PDF's text holds
them; hidden groups carry no number in any of them; downloads are audited; an open campaign has no pack."""

from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from smecyber.accounts.models import AuditEvent
from smecyber.surveys import exports, services
from smecyber.surveys.models import Campaign
from smecyber.surveys.statistics import (
    CellFilter,
    campaign_statistics,
    dimension_label,
    indicators_of,
    universe_of,
    value_label,
)
from tests.surveys.conftest import SurveyWorld
from tests.surveys.population import close, hand_count, random_answers, store

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def closed(sw: SurveyWorld, campaign: Campaign) -> tuple[Campaign, list[dict[str, list[str]]]]:
    """27 responses from SE (J, small), 12 from FI (C, medium), 2 from LV (J, micro); closed."""
    rng = random.Random(3)
    population = store(campaign, [random_answers(campaign, rng, country="SE", sector="J", size_band="small")
                                  for _ in range(27)])
    population += store(campaign, [random_answers(campaign, rng, country="FI", sector="C", size_band="medium")
                                   for _ in range(12)])
    population += store(campaign, [random_answers(campaign, rng, country="LV", sector="J", size_band="micro")
                                   for _ in range(2)])
    return close(campaign, sw.coordinator), population


def exclusive_of(campaign: Campaign, indicator: str) -> str | None:
    return services.template_of(campaign).question(indicator.split(".")[0]).exclusive


def download(sw: SurveyWorld, campaign: Campaign, fmt: str, **headers: str) -> bytes:
    url = reverse("campaign_export", kwargs={"campaign_id": campaign.pk, "fmt": fmt})
    response = sw.client(sw.coordinator).get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES[fmt]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content


def test_csv_parses_and_matches_the_hand_count(sw: SurveyWorld, closed) -> None:
    campaign, population = closed
    body = download(sw, campaign, "csv")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert tuple(rows[0]) == exports.CSV_HEADER
    indicators = indicators_of(campaign)
    cells = {(r["country"], r["sector"], r["size_band"]) for r in rows}
    assert len(rows) == len(cells) * len(indicators) == 11 * 22 * 5 * len(indicators)
    shown = 0
    for row in rows:
        key = tuple("*" if row[d] == "all" else row[d] for d in ("country", "sector", "size_band"))
        if row["hidden"] == "yes":
            assert row["n"] == row["count"] == row["percent"] == row["ci_low"] == row["ci_high"] == ""
            continue
        shown += 1
        indicator = f"{row['question']}.{row['option']}"
        n, count = hand_count(population, indicator, *key, exclusive=exclusive_of(campaign, indicator))
        assert (int(row["n"]), int(row["count"])) == (n, count)
        assert n >= 5
        assert float(row["percent"]) == pytest.approx(100 * count / n, abs=0.005)
        assert float(row["ci_low"]) <= float(row["percent"]) <= float(row["ci_high"])
    assert shown >= len(indicators) * 2  # all respondents and at least one group
    overall = [r for r in rows if (r["country"], r["sector"], r["size_band"]) == ("all", "all", "all")]
    assert {r["hidden"] for r in overall} == {"no"} and overall[0]["n"] == "41"
    lv = [r for r in rows if (r["country"], r["sector"], r["size_band"]) == ("LV", "all", "all")]
    assert {r["hidden"] for r in lv} == {"yes"}


def test_xlsx_has_the_right_numbers_as_numbers(sw: SurveyWorld, closed) -> None:
    campaign, population = closed
    book = load_workbook(io.BytesIO(download(sw, campaign, "xlsx")))
    assert book.sheetnames == ["Methodology", "Questions", "Figures", "Breakdowns", "Official comparison"]
    methodology = " ".join(str(c.value) for row in book["Methodology"].iter_rows() for c in row if c.value)
    assert "fewer than 5 responses" in methodology and "Wilson" in methodology
    questions = list(book["Questions"].iter_rows(values_only=True))
    measures = services.template_of(campaign).question("measures")
    assert ("measures", measures.texts.get("en").question) == questions[1 + len(
        [r for r in questions[1:] if r[0] in ("country", "sector", "size_band", "builds_software")])][:2]
    figures = list(book["Figures"].iter_rows(values_only=True))
    assert figures[1][4] == "Responses (n)"
    checked = 0
    for qid, _text, oid, _label, n, count, percent, low, high, hidden in figures[2:]:
        indicator = f"{qid}.{oid}"
        assert hidden is None
        assert isinstance(n, int) and isinstance(count, int) and isinstance(percent, float)
        assert (n, count) == hand_count(population, indicator, exclusive=exclusive_of(campaign, indicator))
        assert low <= percent <= high
        checked += 1
    assert checked == len(indicators_of(campaign))
    breakdowns = list(book["Breakdowns"].iter_rows(values_only=True))
    template = services.template_of(campaign)
    protected = campaign_statistics(campaign)
    assert protected is not None
    values = {(dimension_label(d), value_label(template, d, v, "en")): (d, v)
              for d, vs in universe_of(campaign).items() for v in vs}
    assert len(breakdowns) - 1 == len(values) * len(indicators_of(campaign))
    for row in breakdowns[1:]:
        dimension, value = values[row[0], row[1]]
        key = CellFilter().with_value(dimension, value).key
        if protected.figure(*key) is None:
            assert row[6:11] == (None,) * 5 and row[11]  # hidden: no numbers, a reason
            continue
        indicator = f"{row[2]}.{row[4]}"
        assert (row[6], row[7]) == hand_count(population, indicator, *key, exclusive=exclusive_of(campaign, indicator))
        assert row[6] >= 5 and row[11] is None
    latvia = [r for r in breakdowns if r[1] == "Latvia"]
    assert latvia and all(r[6:11] == (None,) * 5 for r in latvia)  # 2 responses
    official = list(book["Official comparison"].iter_rows(values_only=True))
    any_measure = next(r for r in official if r[0] == "measures.any")
    assert any_measure[3] == 41 and any_measure[7] == pytest.approx(92.8) and any_measure[8] == pytest.approx(88.1)
    assert any("10 or more" in str(r[0]) for r in official)


def test_hidden_cells_carry_no_numbers_in_any_document(sw: SurveyWorld, closed) -> None:
    """Every value the documents hold for a hidden cell is empty, whatever the format."""
    campaign, _population = closed
    protected = campaign_statistics(campaign)
    assert protected is not None
    for row in exports.figure_rows(campaign, protected, "en"):
        if row[-1]:
            assert row[7:12] == (None,) * 5
    assert ("LV", "*", "*") in protected.hidden_keys()


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_text_holds_the_figures(sw: SurveyWorld, closed, tmp_path: Path) -> None:
    campaign, population = closed
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(download(sw, campaign, "pdf"))
    text = subprocess.run([str(PDFTOTEXT), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    flat = " ".join(text.split())
    assert campaign.title in flat
    assert "fewer than 5 responses" in flat and "Wilson" in flat
    assert "Responses: 41" in flat
    n, count = hand_count(population, "documents.yes")
    assert f"{100 * count / n:.1f}%" in flat
    assert "92.8%" in flat and "88.1%" in flat and "10 or more employees" in flat
    question = services.template_of(campaign).question("measures").texts.get("en").question
    assert " ".join(question.split()) in flat


def test_exports_are_audited_and_in_the_readers_language(sw: SurveyWorld, closed) -> None:
    campaign, _population = closed
    body = download(sw, campaign, "xlsx", HTTP_ACCEPT_LANGUAGE="sv")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == sw.coordinator and event.programme == campaign.programme and event.company is None
    assert event.detail["format"] == "xlsx"
    rows = list(load_workbook(io.BytesIO(body))["Questions"].iter_rows(values_only=True))
    measures = services.template_of(campaign).question("measures")
    assert measures.texts.get("sv").question in [r[1] for r in rows]
