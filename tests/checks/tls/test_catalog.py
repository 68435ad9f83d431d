"""Every key the TLS verdicts can emit has a complete English catalog entry with real CSF 2.0 ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from smecyber.checks.tls.verdicts import OUTCOMES

ROOT = Path(__file__).resolve().parents[3]
CATALOG = ROOT / "src/smecyber/catalog/findings/tls.yaml"
CSF_IDS = Path("/work/shared/data/nist-csf-2.0/csf-2.0-ids.json")


def _entries() -> dict:
    return yaml.safe_load(CATALOG.read_text(encoding="utf-8"))


def test_every_emitted_key_has_an_entry() -> None:
    assert set(OUTCOMES) == set(_entries())


def test_entries_are_complete() -> None:
    for key, entry in _entries().items():
        assert entry["severity"] in ("none", "low", "medium", "high", "critical"), key
        assert entry["effort"] in ("low", "medium", "high"), key
        assert entry["references"] and all(r["url"].startswith("https://") for r in entry["references"]), key
        assert set(entry["nis2"]) <= set("abcdefghij"), key
        assert set(entry.get("snippets", {})) <= {"nginx", "apache", "iis", "m365", "google_workspace", "dns"}, key
        assert all(entry["text"][f].strip() for f in ("title", "why", "how")), key
        assert entry["severity"] == str(OUTCOMES[key][1]), key


@pytest.mark.skipif(not CSF_IDS.exists(), reason="CSF 2.0 id list not available")
def test_csf_ids_are_active_subcategories() -> None:
    data = json.loads(CSF_IDS.read_text(encoding="utf-8"))
    active = {s["id"] for f in data["functions"] for c in f["categories"] for s in c["subcategories"]}
    for key, entry in _entries().items():
        assert entry["csf"] and set(entry["csf"]) <= active, key
