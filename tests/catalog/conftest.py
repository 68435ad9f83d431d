"""Helpers for catalog tests: the raw key lists of the finding files, independent of full validation."""

from __future__ import annotations

from pathlib import Path

import yaml

from smecyber.catalog.findings import FINDINGS_DIR


def english_files() -> list[Path]:
    return sorted(p for p in FINDINGS_DIR.glob("*.yaml") if p.name.count(".") == 1)


def raw_catalog_keys() -> set[str]:
    """Every key of the English finding files, read without validation, so a missing key is reported as
    missing even while (another area's) translations are incomplete."""
    keys: set[str] = set()
    for path in english_files():
        keys.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).keys())
    return keys
