"""web.https against loopback servers: trusted, untrusted, absent, reset and hostile HTTPS."""

from __future__ import annotations

import time

from smecyber.checks.model import Status
from smecyber.checks.web.https import check_https

from .conftest import WebLab, keys, run_check


async def test_trusted_https_passes(web_lab: WebLab) -> None:
    findings = await run_check(web_lab, check_https, "good")
    assert keys(findings) == ["web.https.ok"]
    assert findings[0].status is Status.PASS and findings[0].score_group == "web"


async def test_untrusted_certificate_is_its_own_finding(web_lab: WebLab) -> None:
    findings = await run_check(web_lab, check_https, "untrusted")
    assert keys(findings) == ["web.https.untrusted_certificate"]
    assert findings[0].status is Status.FAIL
    assert "certificate" in findings[0].evidence["error"]


async def test_closed_tls_port_or_reset(web_lab: WebLab) -> None:
    reset = await run_check(web_lab, check_https, "reset")
    assert keys(reset)[0] in ("web.https.handshake_failed", "web.https.missing")
    assert reset[0].status is Status.FAIL


async def test_server_closing_after_handshake_is_not_ok(web_lab: WebLab) -> None:
    findings = await run_check(web_lab, check_https, "no-https")
    assert findings[0].status in (Status.FAIL, Status.ERROR)


async def test_huge_header_ends_as_error_quickly(web_lab: WebLab) -> None:
    start = time.monotonic()
    findings = await run_check(web_lab, check_https, "huge", operation=5.0)
    assert findings[0].status is Status.ERROR
    assert time.monotonic() - start < 10
