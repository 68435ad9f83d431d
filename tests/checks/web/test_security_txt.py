"""web.security_txt: RFC 9116 verdicts, from crafted content and from loopback servers."""

from __future__ import annotations

import pytest

from smecyber.checks.model import Status
from smecyber.checks.web.security_txt import check_security_txt, evaluate

from .conftest import WebLab, keys, run_check

URL = "https://example.test/.well-known/security.txt"
GOOD = b"Contact: mailto:security@example.test\nExpires: 2099-01-01T00:00:00Z\nCanonical: " + URL.encode() + b"\n"


def test_good_file() -> None:
    assert keys(evaluate(URL, 200, "text/plain; charset=utf-8", GOOD)) == ["web.security_txt.ok"]


def test_not_found_and_soft_404() -> None:
    assert keys(evaluate(URL, 404, "text/plain", b"")) == ["web.security_txt.missing"]
    assert keys(evaluate(URL, 200, "text/html", b"<html>")) == ["web.security_txt.missing"]


def test_expired_and_missing_fields() -> None:
    expired = evaluate(URL, 200, "text/plain", b"Contact: mailto:a@example.test\nExpires: 2020-01-01T00:00:00Z\n")
    assert "web.security_txt.expired" in keys(expired)
    assert "web.security_txt.no_canonical" in keys(expired)
    no_contact = evaluate(URL, 200, "text/plain", b"Expires: 2099-01-01T00:00:00Z\n")
    assert "web.security_txt.no_contact" in keys(no_contact)
    no_expires = evaluate(URL, 200, "text/plain", b"Contact: mailto:a@example.test\n")
    assert "web.security_txt.no_expires" in keys(no_expires)


def test_wrong_content_type() -> None:
    assert "web.security_txt.wrong_content_type" in keys(evaluate(URL, 200, "application/octet-stream", GOOD))


def test_signed_file_is_detected() -> None:
    body = (b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + GOOD +
            b"-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n")
    assert "web.security_txt.signed" in keys(evaluate(URL, 200, "text/plain", body))


@pytest.mark.parametrize(("case", "key", "status"), [
    ("good", "web.security_txt.ok", Status.PASS),
    ("no-hsts", "web.security_txt.missing", Status.WARN),
    ("sectxt-expired", "web.security_txt.expired", Status.WARN),
    ("sectxt-html", "web.security_txt.missing", Status.WARN),
    ("sectxt-no-contact", "web.security_txt.no_contact", Status.WARN),
    ("sectxt-wrong-type", "web.security_txt.wrong_content_type", Status.WARN),
    ("reset", "web.security_txt.no_https", Status.INFO),
])
async def test_security_txt_over_the_network(web_lab: WebLab, case: str, key: str, status: Status) -> None:
    findings = await run_check(web_lab, check_security_txt, case)
    assert findings[0].key == key and findings[0].status is status
