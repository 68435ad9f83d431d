"""UI strings of the CLI report: complete in every language, with the labels the report needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from smecyber.catalog import SUPPORTED_LANGUAGES, CatalogError, ui_keys, ui_text
from smecyber.catalog.findings import EFFORTS, SEVERITIES
from smecyber.catalog.ui import load_ui
from smecyber.checks.model import GRADE_KEYS, Area, Status


def test_every_key_in_every_language() -> None:
    data = load_ui()
    assert len(data) >= 40
    for key in ui_keys():
        assert set(data[key]) == set(SUPPORTED_LANGUAGES), key
        for lang in SUPPORTED_LANGUAGES:
            assert ui_text(key, lang).strip()


def test_labels_for_every_status_severity_effort_area_and_grade() -> None:
    needed = (
        [f"status.{s}" for s in Status] + [f"severity.{s}" for s in SEVERITIES] + [f"effort.{e}" for e in EFFORTS]
        + [f"area.{a}" for a in Area] + [f"group.{g}" for g in GRADE_KEYS]
        + ["report.grade", "report.top_fixes", "report.why", "report.how", "report.effort", "report.scanned_in",
           "exit.invalid_input", "exit.interrupted"]
    )
    missing = [k for k in needed if k not in ui_keys()]
    assert not missing


def test_placeholders_and_fallback() -> None:
    assert ui_text("report.scanned_in", "sv", seconds=2.5) == "Skannat på 2.5 s"
    assert ui_text("report.grade", "de") == "Grade"  # unsupported language: English
    assert ui_text("report.grade", "lv-LV") == "Vērtējums"
    with pytest.raises(KeyError):
        ui_text("report.nope")


def test_translated_labels_differ_from_english() -> None:
    same = [k for k in ui_keys() if all(ui_text(k, lang) == ui_text(k, "en") for lang in SUPPORTED_LANGUAGES[1:])]
    # only names that are the same in every language (DNS, TLS, HTTPS) may be untranslated
    assert set(same) <= {"area.dns", "group.dns", "group_short.dns", "group_short.tls", "group_short.web"}


def test_broken_ui_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "ui.yaml"
    bad.write_text('a: {en: "Hi {name}", sv: "Hej", lv: "Sveiki {name}", lt: "Labas {name}"}\n'
                   'b: {en: "x", sv: "y"}\n', encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_ui(bad)
    text = str(exc.value)
    assert "a: languages use different placeholders" in text
    assert "b: text in 'lv' is missing" in text
