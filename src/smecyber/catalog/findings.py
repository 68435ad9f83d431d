"""The findings catalog: what each finding key means, in every supported language.

``findings/<area>.yaml`` holds the English text and the metadata (severity, effort, references, NIST CSF
2.0 and NIS2 mappings, fix snippets); ``findings/<area>.<lang>.yaml`` beside it holds the translated
title, why and how. Everything is validated when the catalog is loaded, and every problem found is
reported at once, so a broken file fails loudly and completely instead of one key at a time in a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ._yaml import load_yaml
from .csf import load_csf
from .languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_language

FINDINGS_DIR = Path(__file__).parent / "findings"

AREAS = ("web", "tls", "mail", "dns", "engine")
SEVERITIES = ("none", "low", "medium", "high", "critical")
EFFORTS = ("low", "medium", "high")  # < 1 hour, < 1 day, more
NIS2_LETTERS = tuple("abcdefghij")  # NIS2 Directive Art. 21(2) (a) to (j)
SNIPPET_KINDS = ("nginx", "apache", "iis", "m365", "google_workspace", "dns")
TEXT_FIELDS = ("title", "why", "how")
# <area>.<check>.<outcome>[.<more>] (the check id is the first two labels), or engine.<what> for the
# engine's own findings (docs/contracts.md)
KEY_PATTERN = re.compile(r"^((web|tls|mail|dns)\.[a-z0-9_]+(\.[a-z0-9_]+)+|engine\.[a-z0-9_]+)$")

_REQUIRED = ("severity", "effort", "references", "csf", "nis2", "text")
_OPTIONAL = ("snippets",)
_FILE_NAME = re.compile(r"^(?P<area>[a-z0-9_]+)(\.(?P<lang>[a-z]{2,3}))?\.yaml$")


class CatalogError(ValueError):
    """The catalog files are invalid; ``problems`` lists every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"findings catalog has {len(problems)} problem(s):\n{shown}{more}")


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Text:
    title: str
    why: str
    how: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One catalog entry with its text in one language."""

    key: str
    lang: str
    title: str
    why: str
    how: str
    severity: str
    effort: str
    references: tuple[Reference, ...]
    csf: tuple[str, ...]
    nis2: tuple[str, ...]
    snippets: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Record:
    key: str
    severity: str
    effort: str
    references: tuple[Reference, ...]
    csf: tuple[str, ...]
    nis2: tuple[str, ...]
    snippets: dict[str, str]
    texts: dict[str, Text]  # language -> text; every supported language once loaded


class Catalog:
    """All finding keys with their metadata and text. Get one with :func:`load_catalog`."""

    def __init__(self, records: dict[str, _Record]) -> None:
        self._records = records

    def keys(self) -> list[str]:
        return sorted(self._records)

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __len__(self) -> int:
        return len(self._records)

    def entry(self, key: str, lang: str | None = DEFAULT_LANGUAGE) -> Entry:
        """The entry for ``key`` in ``lang``; an unsupported language gets English.

        Raises :class:`KeyError` for a key the catalog does not know.
        """
        record = self._records.get(key)
        if record is None:
            raise KeyError(f"finding key {key!r} is not in the catalog")
        text = record.texts[normalize_language(lang)]
        return Entry(
            key=key, lang=normalize_language(lang), title=text.title, why=text.why, how=text.how,
            severity=record.severity, effort=record.effort, references=record.references,
            csf=record.csf, nis2=record.nis2, snippets=dict(record.snippets),
        )

    def texts(self, key: str) -> dict[str, Text]:
        """The text of ``key`` in every supported language."""
        return dict(self._records[key].texts)


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Load and validate the catalog; the packaged catalog is loaded once per process."""
    if directory is None:
        return _load_packaged()
    return _load(Path(directory))


@cache
def _load_packaged() -> Catalog:
    return _load(FINDINGS_DIR)


def _load(directory: Path) -> Catalog:
    problems: list[str] = []
    records: dict[str, _Record] = {}
    translations: dict[tuple[str, str], tuple[str, Any]] = {}  # (area, lang) -> (file name, data)
    areas_seen: list[str] = []
    raw_keys: dict[str, set[str]] = {}  # area -> every key its English file names, valid or not
    for path in sorted(directory.glob("*.yaml")):
        m = _FILE_NAME.match(path.name)
        if not m or m["area"] not in AREAS:
            problems.append(f"{path.name}: unexpected file; name it <area>.yaml or <area>.<lang>.yaml "
                            f"with an area of {', '.join(AREAS)}")
            continue
        try:
            data = load_yaml(path)
        except Exception as exc:  # a YAML syntax error is one more problem to report, with its line
            problems.append(f"{path.name}: not valid YAML: {exc}")
            continue
        data = {} if data is None else data
        if not isinstance(data, dict):
            problems.append(f"{path.name}: must be a mapping of finding keys")
            continue
        area, lang = m["area"], m["lang"]
        if lang is None:
            areas_seen.append(area)
            raw_keys[area] = {str(k) for k in data}
            for key, raw in data.items():
                record = _record(path.name, area, key, raw, problems)
                if record is not None:
                    records[key] = record
        elif lang not in SUPPORTED_LANGUAGES or lang == DEFAULT_LANGUAGE:
            problems.append(f"{path.name}: language {lang!r} is not one of the translated languages "
                            f"{', '.join(SUPPORTED_LANGUAGES[1:])}")
        else:
            translations[(area, lang)] = (path.name, data)
    for area in areas_seen:
        for lang in SUPPORTED_LANGUAGES[1:]:
            if (area, lang) not in translations:
                if raw_keys[area]:
                    problems.append(f"{area}.{lang}.yaml: missing; it must translate {len(raw_keys[area])} key(s)")
                continue
            file, data = translations[(area, lang)]
            _apply_translation(file, data, area, lang, raw_keys[area], records, problems)
    for area, lang in translations:
        if area not in areas_seen:
            problems.append(f"{area}.{lang}.yaml: translation without an English {area}.yaml")
    if problems:
        raise CatalogError(problems)
    return Catalog(records)


def _record(file: str, area: str, key: Any, raw: Any, problems: list[str]) -> _Record | None:
    where = f"{file}: {key}"
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(f"{where}: key must look like <area>.<check>.<outcome> in lower case")
        return None
    if key.split(".")[0] != area:
        problems.append(f"{where}: key belongs in {key.split('.')[0]}.yaml, not {file}")
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}: entry must be a mapping")
        return None
    before = len(problems)
    for name in _REQUIRED:
        if name not in raw:
            problems.append(f"{where}: missing required field {name!r}")
    for name in raw:
        if name not in _REQUIRED and name not in _OPTIONAL:
            problems.append(f"{where}: unknown field {name!r}")
    severity, effort = raw.get("severity"), raw.get("effort")
    if "severity" in raw and severity not in SEVERITIES:
        problems.append(f"{where}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    if "effort" in raw and effort not in EFFORTS:
        problems.append(f"{where}: effort {effort!r} is not one of {', '.join(EFFORTS)}")
    references = _references(where, raw.get("references", []), problems)
    csf = _string_list(where, "csf", raw.get("csf", []), problems)
    csf_ids = load_csf()
    for csf_id in csf:
        problem = csf_ids.problem(csf_id)
        if problem:
            problems.append(f"{where}: {problem}")
    nis2 = _string_list(where, "nis2", raw.get("nis2", []), problems)
    for letter in nis2:
        if letter not in NIS2_LETTERS:
            problems.append(f"{where}: NIS2 Art. 21(2) letter {letter!r} is not one of a-j")
    snippets = _snippets(where, raw.get("snippets", {}), problems)
    text = _text(where, raw.get("text"), problems) if "text" in raw else None
    if len(problems) > before or text is None:
        return None
    return _Record(key, severity, effort, references, tuple(csf), tuple(nis2), snippets,
                   {DEFAULT_LANGUAGE: text})


def _references(where: str, raw: Any, problems: list[str]) -> tuple[Reference, ...]:
    if not isinstance(raw, list):
        problems.append(f"{where}: references must be a list of {{title, url}}")
        return ()
    refs: list[Reference] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != {"title", "url"}:
            problems.append(f"{where}: reference {i + 1} must have exactly a title and a url")
            continue
        title, url = item["title"], item["url"]
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{where}: reference {i + 1} has an empty title")
            continue
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
            problems.append(f"{where}: reference {i + 1} url {url!r} must be an https:// URL without spaces")
            continue
        refs.append(Reference(title.strip(), url))
    return tuple(refs)


def _string_list(where: str, name: str, raw: Any, problems: list[str]) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        problems.append(f"{where}: {name} must be a list of strings")
        return []
    if len(set(raw)) != len(raw):
        problems.append(f"{where}: {name} lists an item twice")
    return list(raw)


def _snippets(where: str, raw: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: snippets must be a mapping of kind -> text")
        return {}
    for kind, text in raw.items():
        if kind not in SNIPPET_KINDS:
            problems.append(f"{where}: snippet kind {kind!r} is not one of {', '.join(SNIPPET_KINDS)}")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: snippet {kind!r} is empty")
    return {str(k): str(v) for k, v in raw.items()}


def _text(where: str, raw: Any, problems: list[str]) -> Text | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: text must be a mapping with {', '.join(TEXT_FIELDS)}")
        return None
    ok = True
    for name in TEXT_FIELDS:
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: text {name!r} is missing or empty")
            ok = False
    for name in raw:
        if name not in TEXT_FIELDS:
            problems.append(f"{where}: unknown text field {name!r}")
            ok = False
    if ok and "\n" in raw["title"].strip():
        problems.append(f"{where}: title must be one line")
        ok = False
    return Text(*(raw[n].strip() for n in TEXT_FIELDS)) if ok else None


def _apply_translation(
    file: str, data: dict[Any, Any], area: str, lang: str, english_keys: set[str],
    records: dict[str, _Record], problems: list[str],
) -> None:
    for key, raw in data.items():
        if key not in english_keys:
            problems.append(f"{file}: {key}: not a key of {area}.yaml (a typo, or a removed finding?)")
            continue
        text = _text(f"{file}: {key}", raw, problems)
        if text is not None and key in records:
            records[key].texts[lang] = text
    for key in sorted(english_keys - set(data)):
        problems.append(f"{file}: {key}: translation missing (needs {', '.join(TEXT_FIELDS)})")
