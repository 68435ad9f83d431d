"""Reads classification.yaml and answers "how good is X" with one of the guideline's four levels."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TABLE_PATH = Path(__file__).with_name("classification.yaml")


class Level(StrEnum):
    GOOD = "good"
    SUFFICIENT = "sufficient"
    PHASE_OUT = "phase_out"
    INSUFFICIENT = "insufficient"

    @property
    def rank(self) -> int:  # higher is worse
        return _RANK[self]


_RANK = {Level.GOOD: 0, Level.SUFFICIENT: 1, Level.PHASE_OUT: 2, Level.INSUFFICIENT: 3}


@cache
def table() -> dict[str, Any]:
    data = yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))
    _validate(data)
    return data


def _validate(data: dict[str, Any]) -> None:
    levels = {str(level) for level in Level}
    for v in data["protocols"].values():
        if v not in levels:
            raise ValueError(f"{TABLE_PATH.name}: unknown level {v!r}")
    seen: set[str] = set()
    for level in ("good", "sufficient", "phase_out"):
        for name in data["cipher_suites"][level]:
            if name in seen:
                raise ValueError(f"{TABLE_PATH.name}: cipher suite {name} listed twice")
            seen.add(name)


def _listed(section: dict[str, Any], name: str) -> Level:
    for level in ("good", "sufficient", "phase_out", "insufficient"):
        if name in section.get(level, ()):
            return Level(level)
    return Level(section["default"])


def _by_size(steps: list[dict[str, Any]], bits: int) -> Level:
    for step in steps:
        if bits >= step["min"]:
            return Level(step["level"])
    return Level.INSUFFICIENT


def protocol_level(version: str) -> Level:
    return Level(table()["protocols"].get(version, "insufficient"))


def cipher_level(iana_name: str) -> Level:
    return _listed(table()["cipher_suites"], iana_name)


def curve_level(curve: str) -> Level:
    return _listed(table()["key_exchange"]["ecdhe_curves"], curve)


def dh_level(bits: int) -> Level:
    return _by_size(table()["key_exchange"]["ffdhe_bits"], bits)


def cert_key_level(key_type: str, bits: int, curve: str | None = None) -> Level:
    """``key_type`` is rsa, dsa, ec, ed25519 or ed448 (see certinfo.CertFacts)."""
    cert = table()["certificate"]
    if key_type == "rsa":
        return _by_size(cert["rsa_bits"], bits)
    if key_type == "dsa":
        return _by_size(cert["dsa_bits"], bits)
    if key_type == "ec":
        return _listed(cert["ec_curves"], curve or "")
    return Level(cert["edwards"].get(key_type, "insufficient"))


def signature_hash_level(hash_name: str | None) -> Level:
    hashes = table()["certificate"]["signature_hashes"]
    return Level(hashes.get((hash_name or "").lower(), hashes["default"]))


def expiry_warn_days() -> int:
    return int(table()["certificate"]["expiry_warn_days"])


def worst(levels: list[Level]) -> Level | None:
    return max(levels, key=lambda lv: lv.rank) if levels else None
