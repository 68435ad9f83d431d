"""web.redirect: the internet.nl rule (first redirect to https on the same host) against loopback servers."""

from __future__ import annotations

import time

import pytest

from smecyber.checks.model import Status
from smecyber.checks.net import HttpResponse
from smecyber.checks.web.redirect import check_redirect, evaluate
from smecyber.checks.web.retrieval import Session

from .conftest import WebLab, keys, run_check


@pytest.mark.parametrize(("case", "key", "status"), [
    ("good", "web.redirect.ok", Status.PASS),
    ("no-redirect", "web.redirect.missing", Status.FAIL),
    ("redirect-other", "web.redirect.first_hop_other_host", Status.WARN),
    ("redirect-http-first", "web.redirect.first_hop_not_https", Status.WARN),
    ("http-closed", "web.redirect.error", Status.ERROR),  # port 80 open but closes without an answer
    ("loop", "web.redirect.loop", Status.FAIL),
])
async def test_redirect_verdicts(web_lab: WebLab, case: str, key: str, status: Status) -> None:
    findings = await run_check(web_lab, check_redirect, case)
    assert keys(findings) == [key]
    assert findings[0].status is status
    assert findings[0].score_group == "web"


async def test_route_is_evidence(web_lab: WebLab) -> None:
    findings = await run_check(web_lab, check_redirect, "redirect-other")
    route = findings[0].evidence["route"]
    assert route[0].startswith("301 http://redirect-other.obs.test/")
    assert "https://other-redirect-other.obs.test/" in route[1]


async def test_one_byte_per_second_ends_as_error_within_budget(web_lab: WebLab) -> None:
    start = time.monotonic()
    findings = await run_check(web_lab, check_redirect, "slow", operation=2.0)
    assert keys(findings) == ["web.redirect.error"]
    assert findings[0].evidence["error_kind"] == "timeout"
    assert time.monotonic() - start < 6


def _session(*hops: tuple[int, str, str | None]) -> Session:
    """A crafted http://example.test/ session: (status, url, Location) per hop."""
    return Session("http://example.test/", hops=[
        HttpResponse(url, status, [("location", loc)] if loc else [], b"") for status, url, loc in hops])


@pytest.mark.parametrize(("hops", "key"), [
    # internet.nl: only the first redirect's target counts; later hops (even back to http) do not
    ([(301, "http://example.test/", "https://example.test/"), (302, "https://example.test/", "http://cdn.test/"),
      (200, "http://cdn.test/", None)], "web.redirect.ok"),
    ([(308, "http://example.test/", "https://EXAMPLE.test/a"), (200, "https://example.test/a", None)],
     "web.redirect.ok"),
    ([(301, "http://example.test/", "https://www.example.test/"), (200, "https://www.example.test/", None)],
     "web.redirect.first_hop_other_host"),
    ([(302, "http://example.test/", "http://example.test/x"), (301, "http://example.test/x", "https://example.test/"),
      (200, "https://example.test/", None)], "web.redirect.first_hop_not_https"),
    ([(301, "http://example.test/", "http://www.example.test/"), (200, "http://www.example.test/", None)],
     "web.redirect.not_to_https"),
    ([(200, "http://example.test/", None)], "web.redirect.missing"),
])
def test_first_redirect_decides(hops: list[tuple[int, str, str | None]], key: str) -> None:
    assert keys(evaluate("example.test", _session(*hops))) == [key]
