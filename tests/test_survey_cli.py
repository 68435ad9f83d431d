"""`smecyber survey list|export`: the same evidence pack as the web, only for a closed campaign; bad input is one
line on stderr and exit 2."""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from smecyber.accounts.models import AuditEvent
from smecyber.cli import main
from smecyber.surveys import services
from smecyber.surveys.models import Campaign
from tests.reports.factories import make_coordinator, make_programme
from tests.surveys.population import close, hand_count, random_answers, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign() -> Campaign:
    cache.clear()
    programme = make_programme("Programme CLI")
    coordinator = make_coordinator(programme)
    campaign = services.create_campaign(programme, coordinator, title="Needs survey CLI")
    services.open_campaign(campaign, coordinator)
    rng = random.Random(9)
    store(campaign, [random_answers(campaign, rng, country="SE", sector="J", size_band="small") for _ in range(20)]
          + [random_answers(campaign, rng, country="LV", sector="C", size_band="small") for _ in range(9)])
    return campaign


def test_list_shows_every_campaign(campaign: Campaign, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["survey", "list"]) == 0
    out = capsys.readouterr().out
    assert f"{campaign.pk}\tProgramme CLI\tNeeds survey CLI\topen\t29\n" in out


def test_open_campaign_has_no_pack(campaign: Campaign, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx", "pdf"):
        target = tmp_path / f"pack.{fmt}"
        assert main(["survey", "export", str(campaign.pk), "--format", fmt, "--output", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "only for a closed campaign" in err and "Traceback" not in err
        assert not target.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize(("args", "needle"), [
    (["survey", "export", "not-a-uuid", "--format", "csv"], "is not a campaign id"),
    (["survey", "export", "8d6c1b1e-0000-4000-8000-000000000000", "--format", "csv"], "no campaign"),
])
def test_unknown_campaigns_are_one_line_and_exit_2(args: list[str], needle: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(("args", "needle"), [
    (["survey", "export", "8d6c1b1e-0000-4000-8000-000000000000", "--format", "docx"], "invalid choice"),
    (["survey", "export", "8d6c1b1e-0000-4000-8000-000000000000", "--format", "csv", "--lang", "de"],
     "invalid choice"),
    (["survey", "export", "--format", "csv"], "required"),
    (["survey"], "required"),
])
def test_bad_options_are_one_line_and_exit_2(args: list[str], needle: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_binary_formats_refuse_a_terminal(campaign: Campaign, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    close(campaign)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["survey", "export", str(campaign.pk), "--format", "xlsx"]) == 2
    assert "binary format" in capsys.readouterr().err


def test_csv_to_stdout_matches_the_figures(campaign: Campaign, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    close(campaign)
    assert main(["survey", "export", str(campaign.pk), "--format", "csv"]) == 0
    body = capsysbinary.readouterr().out
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    overall = {f"{r['question']}.{r['option']}": r for r in rows
               if (r["country"], r["sector"], r["size_band"]) == ("all", "all", "all")}
    assert overall["documents.yes"]["n"] == "29" and overall["documents.yes"]["hidden"] == "no"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor is None and event.programme == campaign.programme and event.detail["via"] == "command line"


def test_xlsx_and_pdf_to_files_in_a_language(campaign: Campaign, tmp_path: Path) -> None:
    close(campaign)
    xlsx, pdf = tmp_path / "pack.xlsx", tmp_path / "pack.pdf"
    assert main(["survey", "export", str(campaign.pk), "--format", "xlsx", "--output", str(xlsx),
                 "--lang", "sv"]) == 0
    book = load_workbook(xlsx)
    figures = list(book["Figures"].iter_rows(values_only=True))
    row = next(r for r in figures[2:] if (r[0], r[2]) == ("documents", "yes"))
    assert tuple(row[4:6]) == hand_count(population_of(campaign), "documents.yes")
    questions = [r[1] for r in book["Questions"].iter_rows(values_only=True)]
    assert services.template_of(campaign).question("documents").texts.get("sv").question in questions
    assert main(["survey", "export", str(campaign.pk), "--format", "pdf", "--output", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 2


def population_of(campaign: Campaign) -> list[dict[str, list[str]]]:
    from smecyber.surveys import bits

    return [bits.decode(campaign.bits, r) for r in campaign.responses.all()]
