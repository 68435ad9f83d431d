"""A scan's summary facts (Scan.facts, BatchEntry.facts): what aggregates count, read from the findings.

None means "not checked or unknown" (a check that did not run at this depth, a lookup that failed, a domain
without a website), so aggregates can leave it out of a share instead of counting it as a failure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

DMARC_POLICY_KEYS = {
    "mail.dmarc.policy_reject": "reject",
    "mail.dmarc.policy_quarantine": "quarantine",
    "mail.dmarc.policy_none": "none",
    "mail.dmarc.missing": "missing",
}
HTTPS_FALSE = {"web.https.missing", "web.https.handshake_failed", "web.https.untrusted_certificate"}
HSTS_TRUE = {"web.hsts.ok", "web.hsts.max_age_short"}  # a valid header (short max-age is still valid)
HSTS_FALSE = {"web.hsts.missing", "web.hsts.invalid", "web.hsts.disabled"}
DNSSEC_FALSE = {"dns.dnssec.insecure", "dns.dnssec.bogus", "dns.dnssec.ds_missing"}
MTA_STS_FALSE = {"mail.mta_sts.missing", "mail.mta_sts.mode_none", "mail.mta_sts.testing",
                 "mail.mta_sts.mx_mismatch", "mail.mta_sts.policy_invalid", "mail.mta_sts.policy_unavailable",
                 "mail.mta_sts.record_invalid"}
STARTTLS_FALSE = {"mail.starttls.not_offered", "mail.starttls.tls_failed"}
# The web server's certificate findings (mail servers' come from mail.starttls with the same keys).
WEB_CERTIFICATE_CHECK = "tls.certificate"


def _get(f: Any, name: str) -> Any:
    """Read a field from an engine ``Finding`` or a stored ``ScanFinding`` (which names the check check_id)."""
    if name == "check":
        return getattr(f, "check_id", None) or getattr(f, "check", "")
    value = getattr(f, name, None)
    return str(value) if name == "status" and value is not None else value


def facts_from_findings(findings: Iterable[Any]) -> dict[str, Any]:
    items = list(findings)
    keys = {_get(f, "key") for f in items}
    statuses = [_get(f, "status") for f in items]
    return {
        "https": _tri(keys, {"web.https.ok"}, HTTPS_FALSE),
        "hsts": _tri(keys, HSTS_TRUE, HSTS_FALSE),
        "dmarc_policy": _dmarc_policy(items, keys),
        "spf": _spf(items, keys),
        "dnssec": _tri(keys, {"dns.dnssec.secure"}, DNSSEC_FALSE),
        "mta_sts": _tri(keys, {"mail.mta_sts.ok"}, MTA_STS_FALSE),
        # every MX must offer working STARTTLS: one failing server makes it False
        "starttls": False if keys & STARTTLS_FALSE else (True if "mail.starttls.ok" in keys else None),
        "cert_not_after": _earliest_expiry(items, WEB_CERTIFICATE_CHECK),
        "fails": statuses.count("fail"),
        "warns": statuses.count("warn"),
    }


def _tri(keys: set[str], true_keys: set[str], false_keys: set[str]) -> bool | None:
    if keys & false_keys:
        return False
    if keys & true_keys:
        return True
    return None


def _dmarc_policy(items: list[Any], keys: set[str]) -> str | None:
    if "mail.dmarc.missing" in keys:
        return "missing"
    for f in items:
        if _get(f, "check") == "mail.dmarc":
            policy = (_get(f, "evidence") or {}).get("effective_policy")
            if policy in ("reject", "quarantine", "none"):
                return str(policy)
    for key, policy in DMARC_POLICY_KEYS.items():
        if key in keys:
            return policy
    return None


def _spf(items: list[Any], keys: set[str]) -> str | None:
    if "mail.spf.missing" in keys:
        return "missing"
    problems = [f for f in items if _get(f, "check") == "mail.spf" and _get(f, "status") in ("fail", "warn")
                and _get(f, "key") != "mail.spf.lookup_failed"]
    if problems:
        return "weak"
    if "mail.spf.ok" in keys:
        return "ok"
    return None


def certificate_expiries(items: Iterable[Any], check: str) -> list[tuple[str, dt.datetime]]:
    """(subject, not_after) of every certificate the findings of ``check`` describe (tls.certificate.* keys)."""
    out: dict[tuple[str, str], tuple[str, dt.datetime]] = {}
    for f in items:
        if _get(f, "check") != check or not str(_get(f, "key") or "").startswith("tls.certificate."):
            continue
        raw = (_get(f, "evidence") or {}).get("not_after")
        if not isinstance(raw, str):
            continue
        try:
            when = dt.datetime.fromisoformat(raw)
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        subject = str(_get(f, "subject") or (_get(f, "evidence") or {}).get("host") or "")
        out[(subject, raw)] = (subject, when)
    return sorted(out.values(), key=lambda item: item[1])


def _earliest_expiry(items: list[Any], check: str) -> str | None:
    expiries = certificate_expiries(items, check)
    return expiries[0][1].isoformat() if expiries else None
