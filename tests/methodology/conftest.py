"""Fixtures: the hand-built sample questionnaire behind `smecyber assess`, and answer files on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from smecyber.catalog import questionnaire as questionnaire_module
from smecyber.catalog.questionnaire_model import Questionnaire

from .builders import sample


@pytest.fixture
def sample_q(monkeypatch: pytest.MonkeyPatch) -> Questionnaire:
    """The sample questionnaire, also returned by load_questionnaire() (what `smecyber assess` loads)."""
    q = sample()
    monkeypatch.setattr(questionnaire_module, "load_questionnaire", lambda directory=None: q)
    return q


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def _write(text: str, name: str = "answers.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
