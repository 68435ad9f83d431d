"""methodology/texts.yaml: complete in every language, the keys the engine and the web app rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from smecyber.catalog import CatalogError
from smecyber.catalog.languages import SUPPORTED_LANGUAGES
from smecyber.catalog.questionnaire_model import OWNERS, SIZE_BANDS
from smecyber.catalog.ui import load_ui
from smecyber.methodology.texts import load_texts, number, text, text_keys

NEEDED = (
    [f"level.{n}" for n in range(5)] + [f"owner.{o}" for o in OWNERS] + [f"size.{s}" for s in SIZE_BANDS]
    + [f"status.{s}" for s in ("todo", "doing", "done", "accepted")]
    + ["benchmark.shown", "benchmark.position", "benchmark.too_few", "benchmark.no_score", "benchmark.no_data"]
    + [f"nis2.scope.{s}" for s in ("out", "important", "essential")] + ["nis2.disclaimer", "cra.disclaimer"]
    + ["cra.milestone.notified_bodies", "cra.milestone.reporting", "cra.milestone.full"]
)


def test_every_key_in_every_language() -> None:
    data = load_texts()
    missing = [k for k in NEEDED if k not in data]
    assert not missing
    for key in text_keys():
        assert set(data[key]) == set(SUPPORTED_LANGUAGES), key
        translations = {data[key][lang] for lang in SUPPORTED_LANGUAGES if lang != "en"}
        if key.startswith(("nis2.", "cra.", "benchmark.")):
            assert data[key]["en"] not in translations, f"{key} is not translated"


def test_level_names_and_fallback() -> None:
    assert [text(f"level.{n}") for n in range(5)] == ["Not started", "First steps", "Partly in place",
                                                      "Mostly in place", "Fully in place"]
    assert text("level.0", "sv") == "Inte påbörjat" and text("level.4", "lt-LT") == "Visiškai įdiegta"
    assert text("owner.web_host", "de") == "Your web host"
    assert "not legal advice" in text("nis2.disclaimer")
    with pytest.raises(KeyError):
        text("level.5")


def test_numbers_use_the_decimal_comma_where_it_is_written() -> None:
    assert number(0.6, "en") == "0.6" and number(0.6, "lv") == "0,6" and number("43.0", "sv") == "43"
    assert number(None, "lt") == "—" and number(8, "lt") == "8"


def test_a_broken_file_is_rejected(tmp_path: Path) -> None:
    broken = tmp_path / "texts.yaml"
    broken.write_text('a: {en: "{count} items", sv: "{antal} saker", lv: "x", lt: "y"}\n'
                      'b: {en: "only English"}\n', encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_ui(broken)
    problems = "\n".join(exc.value.problems)
    assert "a: languages use different placeholders" in problems
    assert "b: text in 'sv' is missing" in problems
