"""The methodology's own texts (level names, owners, statuses, benchmark, NIS2 and CRA reasons, the labels of
``smecyber assess``) in every supported language, from texts.yaml.

texts.yaml has the format of catalog/ui.yaml and is validated by the same loader: every key in every
language, with the same ``{placeholders}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smecyber.catalog.languages import normalize_language
from smecyber.catalog.ui import load_ui

if TYPE_CHECKING:
    from smecyber.catalog.questionnaire_model import Questionnaire

TEXTS_FILE = Path(__file__).parent / "texts.yaml"

# Languages that write 0,6 where English writes 0.6
DECIMAL_COMMA = frozenset({"sv", "lv", "lt"})
NUMBER_PARAMS = frozenset({"employees", "turnover", "balance", "staff_cap", "money_cap", "medium_turnover",
                           "medium_balance", "percent"})


@dataclass(frozen=True, slots=True)
class Reason:
    """One step of a reasoning: a texts.yaml key and its parameters (plain strings, language-free).

    Parameters named ``sector`` hold a NIS2 sector id and ``size`` a size category; ``reason_text`` puts
    their names in the reader's language."""

    key: str
    params: dict[str, str] = field(default_factory=dict)


def load_texts() -> dict[str, dict[str, str]]:
    return load_ui(TEXTS_FILE)  # cached per path; raises CatalogError listing every problem


def text(key: str, lang: str | None = "en", **params: Any) -> str:
    """The text of ``key`` in ``lang`` (English for an unsupported language), with ``{name}`` filled in.

    Raises :class:`KeyError` for an unknown key."""
    texts = load_texts().get(key)
    if texts is None:
        raise KeyError(f"text {key!r} is not in methodology/texts.yaml")
    value = texts[normalize_language(lang)]
    return value.format(**params) if params else value


def text_keys() -> list[str]:
    return sorted(load_texts())


def number(value: float | int | str | None, lang: str | None) -> str:
    """A figure for a sentence: 0.6 -> "0,6" in Swedish, Latvian and Lithuanian; None -> "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    shown = str(value)
    return shown.replace(".", ",") if normalize_language(lang) in DECIMAL_COMMA else shown


def reason_text(reason: Reason, lang: str | None, q: Questionnaire | None = None) -> str:
    params: dict[str, str] = {}
    for name, value in reason.params.items():
        if name == "sector" and q is not None and value in q.nis2_sectors:
            params[name] = q.nis2_sectors[value].title(lang)
        elif name == "size":
            params[name] = text(f"size.{value}", lang)
        elif name in NUMBER_PARAMS:
            params[name] = number(value, lang)
        else:
            params[name] = value
    return text(reason.key, lang, **params)
