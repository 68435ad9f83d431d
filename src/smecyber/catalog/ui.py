"""Short UI strings (labels, status names, messages) of the CLI report, in every supported language."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

from ._yaml import load_yaml
from .findings import CatalogError
from .languages import SUPPORTED_LANGUAGES, normalize_language

UI_FILE = Path(__file__).parent / "ui.yaml"


def ui_text(key: str, lang: str | None = "en", **values: Any) -> str:
    """The text of ``key`` in ``lang`` (English for an unsupported language), with ``{name}`` filled in.

    Raises :class:`KeyError` for an unknown key.
    """
    texts = load_ui().get(key)
    if texts is None:
        raise KeyError(f"UI string {key!r} is not in ui.yaml")
    text = texts[normalize_language(lang)]
    return text.format(**values) if values else text


def ui_keys() -> list[str]:
    return sorted(load_ui())


@cache
def load_ui(path: Path = UI_FILE) -> dict[str, dict[str, str]]:
    """Load and validate ui.yaml: every key in every language, with the same placeholders."""
    data = load_yaml(path)
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CatalogError([f"{path.name}: must be a mapping of keys"])
    for key, texts in data.items():
        if not isinstance(texts, dict):
            problems.append(f"{path.name}: {key}: must map language -> text")
            continue
        for lang in SUPPORTED_LANGUAGES:
            if not isinstance(texts.get(lang), str) or not texts[lang].strip():
                problems.append(f"{path.name}: {key}: text in {lang!r} is missing or empty")
        for lang in texts:
            if lang not in SUPPORTED_LANGUAGES:
                problems.append(f"{path.name}: {key}: unknown language {lang!r}")
        fields = {lang: _placeholders(t) for lang, t in texts.items() if isinstance(t, str)}
        if len({frozenset(f) for f in fields.values()}) > 1:
            problems.append(f"{path.name}: {key}: languages use different placeholders {fields}")
    if problems:
        raise CatalogError(problems)
    return data


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
