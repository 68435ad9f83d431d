"""Shared by the survey template and the incident catalog loaders (``survey_template.py``,
``incident_catalog.py``): every problem collected at once, English ``text:`` mappings registered by their id
path, and the translations ``<file>.<lang>.yaml`` checked against them.

The mirror rule (as in the questionnaire): wherever the English file has ``text: {field: value}`` at an id path,
the translation has ``{field: value}`` at the same path without the ``text`` key. A list of entries with ``id``
fields (authorities) is mirrored as a mapping by those ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Generic, TypeVar

from ._yaml import load_yaml
from .languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_language

T = TypeVar("T")

ONE_LINE_FIELDS = ("title", "label", "question")
_LANG_FILE = re.compile(r"^(?P<stem>[a-z0-9_]+)(\.(?P<lang>[a-z]{2,3}))?\.yaml$")


class DataError(ValueError):
    """A data file set is invalid; ``problems`` lists every problem found, one line each."""

    def __init__(self, what: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{what} has {len(problems)} problem(s):\n{shown}{more}")


class Localized(Generic[T]):
    """One text record per language. ``get`` falls back to English: the packaged data has every supported
    language (the loader checks it); a test directory may have English only."""

    __slots__ = ("_by_lang",)

    def __init__(self, by_lang: dict[str, T]) -> None:
        self._by_lang = by_lang

    def get(self, lang: str | None = None) -> T:
        code = normalize_language(lang)
        return self._by_lang[code] if code in self._by_lang else self._by_lang[DEFAULT_LANGUAGE]

    def languages(self) -> list[str]:
        return [lang for lang in SUPPORTED_LANGUAGES if lang in self._by_lang]

    def field(self, name: str) -> dict[str, str | None]:
        """``{lang: value}`` of one field, languages in the supported order (for JSON)."""
        return {lang: getattr(self._by_lang[lang], name) for lang in self.languages()}

    def __repr__(self) -> str:
        return f"Localized({self._by_lang.get(DEFAULT_LANGUAGE)!r}, languages={self.languages()})"


def localized_from_json(make: Callable[..., T], values: Mapping[str, Mapping[str, str | None]]) -> Localized[T]:
    """Rebuild a Localized from ``{field: {lang: value}}`` (the shape ``Localized.field`` writes)."""
    names = list(values)
    langs = [lang for lang in SUPPORTED_LANGUAGES if all(lang in values[n] for n in names)]
    return Localized({lang: make(**{n: values[n][lang] for n in names}) for lang in langs})


@dataclass
class _Node:
    """One English ``text:`` mapping; translations add to ``by_lang`` (shared with the Localized)."""

    fields: tuple[str, ...]
    optional: tuple[str, ...]
    make: Callable[..., Any]
    by_lang: dict[str, Any]
    english: dict[str, str | None] | None  # None when the English text itself is broken


MISSING = object()  # an entry without a ``text`` (reported as a missing field by ``fields``)


def text_of(item: Any) -> Any:
    return item["text"] if isinstance(item, dict) and "text" in item else MISSING


def record_fields(make: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The required and optional (default None) fields of a text dataclass."""
    required = tuple(f.name for f in fields(make) if f.default is not None)
    optional = tuple(f.name for f in fields(make) if f.default is None)
    return required, optional


class FieldChecks:
    """Checks of a data file's structure that report into ``self.problem`` (the questionnaire's loader and
    ``Collector`` share them)."""

    def problem(self, message: str) -> None:
        raise NotImplementedError

    def yaml_mapping(self, path: Path, shape: str = "a mapping") -> dict[Any, Any] | None:
        """The YAML file at ``path`` as a mapping (an empty file is an empty one), or None with the problem."""
        try:
            data = load_yaml(path)
        except Exception as exc:  # a YAML syntax error is one more problem to report, with its line
            self.problem(f"{path.name}: not valid YAML: {exc}")
            return None
        data = {} if data is None else data
        if not isinstance(data, dict):
            self.problem(f"{path.name}: must be {shape}")
            return None
        return data

    def fields(self, where: str, raw: Any, required: Iterable[str], optional: Iterable[str] = ()) -> bool:
        """Is ``raw`` a mapping with every required field and nothing unknown? Reports what is wrong."""
        required, optional = tuple(required), tuple(optional)
        if not isinstance(raw, dict):
            self.problem(f"{where}: must be a mapping with {', '.join(required)}")
            return False
        ok = True
        for name in required:
            if name not in raw:
                self.problem(f"{where}: missing required field {name!r}")
                ok = False
        for name in raw:
            if name not in required and name not in optional:
                self.problem(f"{where}: unknown field {name!r}")
                ok = False
        return ok

    def ident(self, file: str, key: Any, pattern: re.Pattern[str], shape: str) -> bool:
        if not isinstance(key, str):
            self.problem(f"{file}: {key!r}: id must be a quoted string like {shape}")
            return False
        if not pattern.match(key):
            self.problem(f"{file}: {key}: id must look like {shape}")
            return False
        return True


class Collector(FieldChecks):
    """Problems of one set of data files, and the English text nodes of each file (stem)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.problems: list[str] = []
        self.nodes: dict[str, dict[tuple[str, ...], _Node]] = {}

    def problem(self, message: str) -> None:
        self.problems.append(message)

    # ---- files --------------------------------------------------------------------------------------------

    def read(self, name: str) -> dict[Any, Any] | None:
        path = self.dir / name
        if not path.exists():
            self.problem(f"{name}: missing")
            return None
        return self.yaml_mapping(path)

    def unexpected_files(self, stems: Iterable[str]) -> None:
        stems = tuple(stems)
        for path in sorted(self.dir.glob("*.yaml")):
            m = _LANG_FILE.match(path.name)
            if not m or m["stem"] not in stems:
                self.problem(f"{path.name}: unexpected file; the files are {', '.join(s + '.yaml' for s in stems)} "
                             f"and their translations <file>.<lang>.yaml")
            elif m["lang"] is not None and (m["lang"] not in SUPPORTED_LANGUAGES or m["lang"] == DEFAULT_LANGUAGE):
                self.problem(f"{path.name}: language {m['lang']!r} is not one of the translated languages "
                             f"{', '.join(SUPPORTED_LANGUAGES[1:])}")

    # ---- structure ----------------------------------------------------------------------------------------

    def string(self, where: str, name: str, value: Any, *, pattern: re.Pattern[str] | None = None,
               shape: str = "") -> bool:
        if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
            self.problem(f"{where}: {name} must be a non-empty one-line string, not {value!r}")
            return False
        if pattern is not None and not pattern.match(value):
            self.problem(f"{where}: {name} {value!r} must look like {shape}")
            return False
        return True

    # ---- texts --------------------------------------------------------------------------------------------

    def text(self, stem: str, path: tuple[str, ...], where: str, raw: Any, make: type[T]) -> Localized[T]:
        """Validate an English ``text:`` mapping and register it for the translations (also when it is
        broken, so its translations are not reported as unknown ids on top)."""
        required, optional = record_fields(make)
        english = None if raw is MISSING else self._values(where, raw, required, optional)
        by_lang: dict[str, Any] = {}
        if english is not None:
            by_lang[DEFAULT_LANGUAGE] = make(**english)
        self.nodes.setdefault(stem, {})[path] = _Node(required, optional, make, by_lang, english)
        return Localized(by_lang)

    def _values(self, where: str, raw: Any, required: tuple[str, ...], optional: tuple[str, ...],
                english: dict[str, str | None] | None = None) -> dict[str, str | None] | None:
        if not isinstance(raw, dict):
            self.problem(f"{where}: text must be a mapping with {', '.join(required)}")
            return None
        ok = True
        for name in (*required, *optional):
            value = raw.get(name)
            if name in optional and value is None and (english is None or english.get(name) is None):
                continue  # an optional field the English text leaves out is left out by translations too
            if not isinstance(value, str) or not value.strip():
                self.problem(f"{where}: text {name!r} is missing or empty")
                ok = False
            elif name in ONE_LINE_FIELDS and "\n" in value.strip():
                self.problem(f"{where}: text {name!r} must be one line")
                ok = False
        for name in raw:
            if name not in required and name not in optional:
                self.problem(f"{where}: unknown text field {name!r}")
                ok = False
            elif english is not None and name in optional and english.get(name) is None:
                self.problem(f"{where}: text {name!r} is not in the English text")
                ok = False
        if not ok:
            return None
        return {name: (raw[name].strip() if isinstance(raw.get(name), str) else None)
                for name in (*required, *optional)}

    def translations(self, stem: str, strict: bool) -> None:
        """Check ``<stem>.<lang>.yaml`` for every translated language. ``strict``: a missing file is a problem
        (the packaged data); otherwise a missing file leaves that language out (a test directory)."""
        nodes = self.nodes.get(stem, {})
        for lang in SUPPORTED_LANGUAGES[1:]:
            name = f"{stem}.{lang}.yaml"
            if not (self.dir / name).exists():
                if strict and nodes:
                    self.problem(f"{name}: missing; it must translate {len(nodes)} text(s)")
                continue
            data = self.read(name)
            if data is not None:
                self._translation(name, lang, nodes, data)

    def _translation(self, file: str, lang: str, nodes: dict[tuple[str, ...], _Node], data: dict[Any, Any]) -> None:
        prefixes = {path[:i] for path in nodes for i in range(len(path))}
        seen: set[tuple[str, ...]] = set()

        def walk(raw: Any, path: tuple[str, ...]) -> None:
            where = f"{file}: {'.'.join(path)}"
            if not isinstance(raw, dict):
                self.problem(f"{where}: must be a mapping")
                return
            node = nodes.get(path)
            texts: dict[Any, Any] = {}
            for key, value in raw.items():
                if node is not None and key in (*node.fields, *node.optional):
                    texts[key] = value
                elif not isinstance(key, str):
                    self.problem(f"{file}: {'.'.join((*path, repr(key)))}: id must be a quoted string")
                elif (*path, key) in nodes or (*path, key) in prefixes:
                    walk(value, (*path, key))
                else:
                    self.problem(f"{file}: {'.'.join((*path, key))}: not an id path of the English file "
                                 f"(a typo, or a removed entry?)")
            if node is not None:
                seen.add(path)
                values = self._values(where, texts, node.fields, node.optional, node.english)
                if values is not None and node.english is not None:
                    node.by_lang[lang] = node.make(**values)

        walk(data, ())
        for path, node in nodes.items():
            if path not in seen:
                self.problem(f"{file}: {'.'.join(path)}: translation missing (needs {', '.join(node.fields)})")
