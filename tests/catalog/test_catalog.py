"""The packaged findings catalog: loads, every entry valid, every text present in all four languages."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from smecyber.catalog import SUPPORTED_LANGUAGES, CatalogError, load_catalog
from smecyber.catalog.csf import CSF_FILE
from smecyber.catalog.findings import AREAS, FINDINGS_DIR
from smecyber.catalog.findings import load_catalog as load_dir

from .conftest import english_files

AREA_FILES = [p.stem for p in english_files()]


def test_packaged_catalog_loads() -> None:
    """Fails with the full list of problems (missing translations included) in any area."""
    try:
        catalog = load_catalog()
    except CatalogError as exc:
        pytest.fail(str(exc), pytrace=False)
    assert len(catalog) > 0


@pytest.mark.parametrize("area", AREA_FILES)
def test_each_area_loads_on_its_own(area: str, tmp_path: Path) -> None:
    """The same validation per area, so one area's gaps do not hide (or get blamed on) another's."""
    for path in FINDINGS_DIR.glob(f"{area}.*yaml"):
        shutil.copy(path, tmp_path / path.name)
    try:
        catalog = load_dir(tmp_path)
    except CatalogError as exc:
        pytest.fail(str(exc), pytrace=False)
    for key in catalog.keys():  # noqa: SIM118 (Catalog is not a dict; keys() is its API)
        for lang in SUPPORTED_LANGUAGES:
            entry = catalog.entry(key, lang)
            assert entry.lang == lang
            assert entry.title.strip() and entry.why.strip() and entry.how.strip(), f"{key} [{lang}]"
        english = catalog.entry(key, "en")
        for lang in SUPPORTED_LANGUAGES[1:]:
            entry = catalog.entry(key, lang)
            # a copied English text is a missing translation, whatever the file says
            assert entry.why != english.why, f"{key}: 'why' in {lang} is the English text"
            assert entry.how != english.how, f"{key}: 'how' in {lang} is the English text"
        if not key.startswith("engine."):
            assert english.references, f"{key}: give at least one reference"
            assert english.csf, f"{key}: map to at least one NIST CSF 2.0 subcategory"


def test_dns_and_engine_catalogs_are_complete() -> None:
    """The parts this team owns, named explicitly so they cannot vanish unnoticed."""
    assert {"dns", "engine"} <= set(AREA_FILES)
    assert set(AREA_FILES) <= set(AREAS)


def test_csf_data_is_the_attributed_copy() -> None:
    digest = hashlib.sha256(CSF_FILE.read_bytes()).hexdigest()
    readme = (CSF_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert digest in readme, "csf-2.0-ids.json changed: update the README (source, licence, checksum)"
    assert "public domain" in readme.lower() and "CC0" in readme
    data = json.loads(CSF_FILE.read_text(encoding="utf-8"))
    assert sum(len(c["subcategories"]) for f in data["functions"] for c in f["categories"]) == 106
