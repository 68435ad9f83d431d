"""Every finding key the checks can emit, and every key a lab domain expects, has a catalog entry.

Keys are collected from the check sources (see key_collector.py for the three forms recognised), from the
engine, and from the lab domain files. The collection itself is tested: it must find known keys, so a
broken collector cannot make these tests pass vacuously.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import smecyber.checks
from smecyber.checks.engine import ENGINE_CHECK_ID
from smecyber.checks.registry import all_checks

from .conftest import raw_catalog_keys
from .key_collector import collect

CHECKS_DIR = Path(smecyber.checks.__file__).parent

# Places where a key is built from a variable, so its value cannot be read from the source. The keys made
# there are covered at run time by the lab tests (expected lists) and test_runtime_keys.py; keep each entry
# justified, and prefer literal outcomes in new code.
ALLOWED_UNRESOLVED = {
    "mail/dane.py:outcome": "outcome picked from literals a few lines above",
    "mail/dmarc.py:outcome": "outcome picked from the policy (policy_none / _quarantine / _reject)",
    "mail/spf.py:outcome": "outcome mapped from a module-level table of literals",
    "mail/starttls.py:outcome": "outcome picked from literals",
    "mail/starttls.py:report": "outcome carried in a result object",
    "web/headers.py:f-string": "keys of the Observatory test table",
}


@pytest.fixture(scope="module")
def collected():  # type: ignore[no-untyped-def]
    return collect(CHECKS_DIR, {c.id for c in all_checks()} | {ENGINE_CHECK_ID})


def test_collector_finds_known_keys(collected) -> None:  # type: ignore[no-untyped-def]
    keys = set(collected.keys)
    assert len(keys) >= 20
    # one of each form: a literal, the engine's, and (where the mail checks exist) a helper call
    assert {"dns.caa.missing", "dns.dnssec.bogus", "dns.nameservers.single"} <= keys
    assert {"engine.check_error", "engine.budget_exceeded"} <= keys
    if (CHECKS_DIR / "mail" / "spf.py").exists():
        assert "mail.spf.missing" in keys


def test_every_emitted_key_is_in_the_catalog(collected) -> None:  # type: ignore[no-untyped-def]
    catalog = raw_catalog_keys()
    missing = {k: sorted(v) for k, v in collected.keys.items() if k not in catalog}
    assert not missing, "keys emitted by checks but not in the catalog:\n" + "\n".join(
        f"  {k}  ({', '.join(w[:3])})" for k, w in sorted(missing.items())
    )


def test_no_unexplained_dynamic_keys(collected) -> None:  # type: ignore[no-untyped-def]
    unexplained = {k: v for k, v in collected.unresolved.items() if k not in ALLOWED_UNRESOLVED}
    assert not unexplained, (
        "keys built from variables cannot be checked against the catalog; write the outcome as a literal "
        "or add the place to ALLOWED_UNRESOLVED with a reason:\n" + "\n".join(f"  {v}" for v in unexplained.values())
    )


def test_every_check_has_keys_in_the_catalog() -> None:
    catalog = raw_catalog_keys()
    without = [c.id for c in all_checks() if not any(k.startswith(c.id + ".") for k in catalog)]
    assert not without, f"checks with no catalog entry at all: {without}"


def test_every_lab_expected_key_is_in_the_catalog() -> None:
    spec = pytest.importorskip("smecyber.lab.spec")
    domains = spec.load_domains()
    catalog = raw_catalog_keys()
    missing = sorted({
        f"{d.domain}: {e.key}" for d in domains for e in d.expected if e.key and e.key not in catalog
    })
    assert not missing, "lab expectations naming keys the catalog does not have:\n  " + "\n  ".join(missing)
