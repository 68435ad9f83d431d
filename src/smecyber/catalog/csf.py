"""NIST CSF 2.0 subcategory ids, for validating the ``csf:`` mappings of catalog entries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CSF_FILE = Path(__file__).parent / "data" / "csf-2.0-ids.json"


@dataclass(frozen=True, slots=True)
class CsfIds:
    active: frozenset[str]  # functions, categories and subcategories of CSF 2.0
    withdrawn: dict[str, tuple[str, ...]]  # withdrawn id -> its successors

    def problem(self, csf_id: str) -> str | None:
        """Why ``csf_id`` may not be used in a mapping, or ``None``."""
        if csf_id in self.withdrawn:
            successors = ", ".join(self.withdrawn[csf_id]) or "no successor"
            return f"CSF id {csf_id!r} is withdrawn (use {successors})"
        if csf_id not in self.active:
            return f"CSF id {csf_id!r} does not exist in NIST CSF 2.0"
        if "-" not in csf_id:
            return f"CSF id {csf_id!r} is a function or category; map to a subcategory such as {csf_id}-01"
        return None


@cache
def load_csf() -> CsfIds:
    data = json.loads(CSF_FILE.read_text(encoding="utf-8"))
    active: set[str] = set()
    for function in data["functions"]:
        active.add(function["id"])
        for category in function["categories"]:
            active.add(category["id"])
            active.update(sub["id"] for sub in category["subcategories"])
    withdrawn = {k: tuple(v) for k, v in data["withdrawn"].items()}
    return CsfIds(frozenset(active), withdrawn)
